/**
 * Lexical helpers for Databricks SQL text: splitting a file into statements with their
 * line numbers, and masking string literals and comments so that rewrites can match code
 * with regular expressions without ever touching the inside of a literal.
 */

export interface Statement {
  /** The statement without its terminating semicolon. */
  readonly text: string;
  /** 1-based line of the statement's first character in its file. */
  readonly line: number;
  /** Index of the statement's first character in its file. */
  readonly offset: number;
}

/**
 * A placeholder `\u0001<index>\u0001` stands for the index-th masked literal; \u0001 never
 * occurs in SQL text, so a placeholder cannot be confused with code.
 */
// eslint-disable-next-line no-control-regex -- the control character is the delimiter, on purpose
export const PLACEHOLDER = /\u0001(\d+)\u0001/g;

/** A pattern in which `<literal>` matches one placeholder (and captures its index). */
export function patternWithLiterals(source: string, flags: string): RegExp {
  return new RegExp(source.split('<literal>').join(PLACEHOLDER.source), flags);
}

/** The literal index of a term that is exactly one placeholder, if it is one. */
export function placeholderIndex(term: string): number | undefined {
  const match = patternWithLiterals('^<literal>$', '').exec(term);
  return match ? Number(match[1]) : undefined;
}

export interface MaskedSql {
  /** The text with every literal replaced by a placeholder and every comment by blanks. */
  readonly masked: string;
  /** Masked literals, quotes included. */
  readonly literals: readonly string[];
}

/** A run of SQL text: code, a comment, or a quoted literal or identifier ('…', "…", `…`). */
interface Segment {
  readonly kind: 'code' | 'comment' | 'quoted';
  readonly text: string;
}

/** Cuts SQL text into code, comments and quoted runs; the segments' texts concatenate to the input. */
function segments(sql: string): Segment[] {
  const found: Segment[] = [];
  let code = '';
  let i = 0;
  const flushCode = () => {
    if (code) found.push({ kind: 'code', text: code });
    code = '';
  };
  while (i < sql.length) {
    const c = sql[i];
    let stop = -1;
    let kind: Segment['kind'] | undefined;
    if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      stop = end === -1 ? sql.length : end;
      kind = 'comment';
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      stop = end === -1 ? sql.length : end + 2;
      kind = 'comment';
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === '\\' && c !== '`') j += 2;
        else if (sql[j] === c && sql[j + 1] === c) j += 2;
        else if (sql[j] === c) break;
        else j++;
      }
      stop = Math.min(j + 1, sql.length);
      kind = 'quoted';
    }
    if (kind) {
      flushCode();
      found.push({ kind, text: sql.slice(i, stop) });
      i = stop;
    } else {
      code += c;
      i++;
    }
  }
  flushCode();
  return found;
}

/**
 * Masks string literals ('…', "…"), quoted identifiers (`…`) and comments. Comments become
 * spaces (newlines kept, so line numbers survive); literals become placeholders.
 */
export function maskSql(sql: string): MaskedSql {
  const literals: string[] = [];
  let masked = '';
  for (const segment of segments(sql)) {
    if (segment.kind === 'code') masked += segment.text;
    else if (segment.kind === 'comment') masked += segment.text.replace(/[^\n]/g, ' ');
    else {
      literals.push(segment.text);
      masked += `\u0001${literals.length - 1}\u0001`;
    }
  }
  return { masked, literals };
}

/**
 * The code of a SQL text with every position kept: comments and the insides of quoted
 * literals and identifiers become spaces (newlines kept, quotes kept), so an index into the
 * result is an index into the text, and keywords inside literals or comments match nothing.
 */
export function blankSql(sql: string): string {
  return segments(sql)
    .map((s) => (s.kind === 'code' ? s.text : s.kind === 'comment' ? s.text.replace(/[^\n]/g, ' ') : s.text[0] + s.text.slice(1, -1).replace(/[^\n]/g, ' ') + (s.text.length > 1 ? s.text.at(-1) : '')))
    .join('');
}

/** 1-based line and column of an index into a text. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/** Index just past the parenthesis that closes the one at `open` in masked SQL, or -1 when it is never closed. */
export function closingParenthesis(masked: string, open: number): number {
  let depth = 0;
  for (let i = open; i < masked.length; i++) {
    if (masked[i] === '(') depth++;
    if (masked[i] === ')' && --depth === 0) return i + 1;
  }
  return -1;
}

/** Puts the masked literals back. */
export function unmaskSql(masked: string, literals: readonly string[]): string {
  return masked.replace(PLACEHOLDER, (_m, index: string) => literals[Number(index)]);
}

/** The value of a single-quoted or double-quoted string literal. */
export function literalValue(literal: string): string {
  const quote = literal[0];
  return literal
    .slice(1, -1)
    .replace(new RegExp(`${quote}${quote}`, 'g'), quote)
    .replace(/\\(.)/g, '$1');
}

/** A single-quoted SQL string literal of a value. */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Splits a file into statements at semicolons outside literals and comments. */
export function splitStatements(sql: string): Statement[] {
  const { masked, literals } = maskSql(sql);
  const statements: Statement[] = [];
  let start = 0;
  const push = (end: number) => {
    const chunk = masked.slice(start, end);
    const offset = chunk.search(/\S/);
    if (offset !== -1) {
      const before = unmaskSql(masked.slice(0, start + offset), literals);
      statements.push({ text: unmaskSql(chunk.trim(), literals), line: before.split('\n').length, offset: before.length });
    }
    start = end + 1;
  };
  for (let i = 0; i < masked.length; i++) if (masked[i] === ';') push(i);
  push(masked.length);
  return statements;
}
