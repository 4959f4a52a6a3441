/**
 * A finding of a check: what is wrong, where (`file:line:col`), and which rule says so.
 * `npm run check` prints one per line; the local engine raises the first one it meets.
 */
export interface Finding {
  /** Path relative to the project root (or to the synth output for stack findings). */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Id of the rule, e.g. `merge-condition-subquery`. */
  readonly rule: string;
  readonly message: string;
}

export function formatFinding(finding: Finding): string {
  return `${finding.file}:${finding.line}:${finding.column} ${finding.rule} ${finding.message}`;
}

/** Raised where a finding must stop the work (the local engine, synth): it names the rule and the place. */
export class FindingError extends Error {
  constructor(readonly findings: readonly Finding[]) {
    super(findings.map(formatFinding).join('\n'));
    this.name = 'FindingError';
  }
}
