/**
 * The one shape every rule family reports in: SQL, pipeline and JSON rules, guardrails,
 * config validation and the plan review. What is wrong, where (`file:line:column`), which
 * rule says so and how bad it is. `npm run check` prints one a line; `--json` outputs list them.
 */
export interface Diagnostic {
  /** Path relative to the project root (or to the synth output's parent for stack findings). */
  readonly file: string;
  /** 1-based; 1 when the file format gives no position. */
  readonly line: number;
  /** 1-based; 1 when the file format gives no position. */
  readonly column: number;
  /** Id of the rule, e.g. `merge-condition-subquery`, `config`, `removed-data-holder`. */
  readonly rule: string;
  /**
   * error: stops the work (synth, a local run, a deploy without approval); warning: a
   * reviewer must know; info: worth a look.
   */
  readonly severity: DiagnosticSeverity;
  readonly message: string;
}

export type DiagnosticSeverity = 'error' | 'warning' | 'info';

/** `file:line:col rule message`: one line, the form editors and CI annotations read. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const severity = diagnostic.severity === 'error' ? '' : `${diagnostic.severity}: `;
  return `${diagnostic.file}:${diagnostic.line}:${diagnostic.column} ${diagnostic.rule} ${severity}${diagnostic.message}`;
}
