import { Diagnostic, formatDiagnostic } from './diagnostic';

/**
 * The project's error model. Every command maps what went wrong to an exit code here, by
 * error class, never by message text, so the same bad input exits with the same code from
 * `synth`, `check`, `local`, `generate`, `onboard`, `plan-review` and `remote`. The README's
 * table of exit codes is this one.
 */
export const EXIT_CODES = { ok: 0, failed: 1, invalidInput: 2, destructive: 3, changes: 4, internal: 70 } as const;

/** What each exit code means, for every command (the README's table is made from this). */
export const EXIT_CODE_MEANINGS: Readonly<Record<keyof typeof EXIT_CODES, string>> = {
  ok: 'nothing to report: clean, succeeded, no change',
  failed:
    'what was checked or run failed: rule findings, a guardrail refused the stack, a local or remote run or a REST call failed, environments differ unintentionally',
  invalidInput: 'the input cannot be used: a config or source file, an argument, a missing file or synth output (named with file:line and field); nothing was written',
  destructive: 'plan review: a change loses data or weakens a guardrail, and needs an explicit approval',
  changes: 'plan review: changes, none destructive',
  internal: 'an unexpected error, a bug of the project: the stack trace is printed',
};

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** Input a command cannot act on (exit code 2): a config or source file, an argument, a missing file. */
export class InvalidInputError extends Error {
  constructor(
    message: string,
    /** Where the input is wrong, when it can be located. */
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {
    super(message);
    this.name = 'InvalidInputError';
  }
}

/** What was checked or run failed (exit code 1): a REST call, a run, a rule. */
export class FailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FailedError';
  }
}

/** Rules found problems that must stop the work (exit code 1): a synth refused by a guardrail, a statement the platform would refuse. */
export class FindingsError extends FailedError {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'FindingsError';
  }
}

/** A command's exit code for an error it ends with. */
export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof InvalidInputError) return EXIT_CODES.invalidInput;
  if (error instanceof FailedError) return EXIT_CODES.failed;
  return EXIT_CODES.internal;
}

/** What a command prints for an error it ends with: the message of a known error, the stack of a bug. */
export function describeError(error: unknown): string {
  if (error instanceof InvalidInputError || error instanceof FailedError) return error.message;
  if (error instanceof Error) return error.stack ?? error.message;
  return String(error);
}

/** Ends a command on an error: prints it to stderr and sets the exit code it means. */
export function failCommand(error: unknown): void {
  process.stderr.write(`${describeError(error)}\n`);
  process.exitCode = exitCodeFor(error);
}

/**
 * For commander's exitOverride: help and version exit 0, a usage error (an unknown option, a
 * missing argument) is invalid input.
 */
export function exitOnUsageError(error: { readonly exitCode: number }): never {
  process.exit(error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.invalidInput);
}
