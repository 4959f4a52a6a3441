/**
 * A declarative (DLT / Lakeflow) pipeline: SQL files defining its tables, the schema it
 * publishes to, and configuration values the SQL reads as `${key}`. Declared once in
 * `config/pipelines.ts`; the stacks deploy it and the local runner executes it.
 */
export interface Pipeline {
  /** Kebab-case name; becomes the pipeline name. */
  readonly name: string;
  readonly description: string;
  /** Schema (in the environment's catalog) the pipeline's tables are published to. */
  readonly schema: string;
  /** SQL files defining the tables, relative to the project root. */
  readonly sourceFiles: readonly string[];
  /** Values the SQL reads as `${key}`; `{{env.catalog}}` stands for the environment's catalog. */
  readonly configuration: Readonly<Record<string, string>>;
  /** Quartz cron (UTC) of the job that refreshes the pipeline; or: */
  readonly refreshSchedule?: string;
  /** A landing volume (by name) whose new files start a refresh. */
  readonly refreshOnFileArrival?: string;
}
