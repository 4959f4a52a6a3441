import type { Diagnostic } from '../model/diagnostic';

/** A pipeline SQL file, with the pipeline's `${key}` configuration already substituted. */
export interface PipelineSource {
  readonly file: string;
  readonly text: string;
}

/** A fidelity rule over all the SQL files of one pipeline together (what one statement cannot tell). */
export interface PipelineRule {
  readonly id: string;
  readonly description: string;
  readonly source: string;
  check(sources: readonly PipelineSource[]): Diagnostic[];
}
