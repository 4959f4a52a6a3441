import type { z } from 'zod';
import type { Diagnostic } from '../model/diagnostic';
import { InvalidInputError } from '../model/errors';

/**
 * A configuration that cannot be deployed: every problem names the file, the object in it
 * (an environment, a workflow, a pipeline, a source) and the field, and where the file
 * format allows it the line.
 */
export interface ConfigProblem {
  /** Path of the config file, relative to the project root, e.g. `config/workflows.ts`. */
  readonly file: string;
  /** 1-based line in the file, when known (YAML sources). */
  readonly line?: number;
  /** The object, as `<kind> "<name>"`, e.g. `workflow "orders-ingest"`. */
  readonly object: string;
  /** Dotted path of the offending field inside the object, e.g. `tasks[2].dependsOn[0]`. */
  readonly field: string;
  readonly message: string;
}

/** The diagnostic of a config problem: rule `config`, at its file and line (1 when the format gives none). */
export function configDiagnostic(problem: ConfigProblem): Diagnostic {
  return { file: problem.file, line: problem.line ?? 1, column: 1, rule: 'config', severity: 'error', message: `${problem.object}, field "${problem.field}": ${problem.message}` };
}

/** A configuration that cannot be deployed: invalid input (exit code 2), nothing is synthesized or written. */
export class ConfigError extends InvalidInputError {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      'Invalid lakehouse configuration:\n' +
        problems.map((p) => `  - ${p.file}${p.line ? `:${p.line}` : ''}: ${p.object}, field "${p.field}": ${p.message}`).join('\n'),
      problems.map(configDiagnostic),
    );
    this.name = 'ConfigError';
  }
}

/** `a.b[2].c` from a path of keys and indexes. */
export function fieldOf(path: readonly (string | number)[]): string {
  return path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

/** The problems of a failed zod parse, in the project's words: an unknown key is named as a misspelt setting. */
export function zodProblems(error: z.ZodError, at: Omit<ConfigProblem, 'field' | 'message'>, pathPrefix: readonly (string | number)[] = []): ConfigProblem[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ ...at, field: fieldOf([...pathPrefix, ...issue.path, key]), message: 'is not a known setting (misspelt, or a secret that belongs in the environment?)' }))
      : [{ ...at, field: fieldOf([...pathPrefix, ...issue.path]) || '(whole)', message: issue.message === 'Required' ? 'is required' : issue.message }],
  );
}
