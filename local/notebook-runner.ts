import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { LocalEngine, Row } from './engine';
import { FailedError } from '../model/errors';
import { pythonInterpreter } from './python-interpreter';

/**
 * Runs a Databricks notebook (source format) locally: `python3 local/notebook_host.py` executes
 * its cells with stand-ins for `dbutils` (widgets, and `fs` over the volumes folder) and
 * `spark.sql`, whose queries come back here and run on the local engine.
 *
 * Protocol: for each `spark.sql(query, args=…)` the host writes one JSON line on its file
 * descriptor 3, `{"sql": "<query>", "args": {…} | null, "line": <notebook line>}`, and waits
 * for one JSON line on its stdin: `{"rows": [{…}, …]}` or `{"error": "<message>"}`. The
 * notebook's stdout is its output; its stderr carries the traceback when it fails.
 */

/** The project root (where `notebooks/` and `local/` live); also right for the esbuild bundle in `.build/`. */
const DEFAULT_PROJECT_ROOT = resolve(__dirname, '..');

export interface NotebookRunOptions {
  /** Added to this process's environment, e.g. `LAKEHOUSE_NOTEBOOK_FAIL_AFTER_FS_OPS` (see local/notebook_host.py). */
  readonly env?: NodeJS.ProcessEnv;
  /** Folder `file` is relative to and `local/notebook_host.py` is found in; the project's root by default. */
  readonly projectRoot?: string;
  /** Local folder standing for /Volumes; the engine's by default. */
  readonly volumesDir?: string;
}

export interface NotebookRun {
  /** What the notebook printed. */
  readonly output: string;
  /** What it set with dbutils.jobs.taskValues.set, by key (the last value of a key wins). */
  readonly taskValues: Readonly<Record<string, unknown>>;
}

/** A notebook that failed: the message is its exception's line (`ArchiveError: …`); the whole traceback is kept. */
export class NotebookError extends FailedError {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly traceback: string,
    readonly output: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'NotebookError';
  }
}

type HostRequest =
  | { readonly sql: string; readonly args: Record<string, unknown> | null; readonly line: number }
  | { readonly taskValue: { readonly key: string; readonly value: unknown } }
  | { readonly tableExists: string };

/**
 * spark.catalog.tableExists on the local engine: `schema.table`, or `catalog.schema.table` of
 * the engine's catalog (a table of another catalog does not exist here); backticks allowed.
 */
async function tableExists(engine: LocalEngine, name: string): Promise<boolean> {
  const parts = name.split('.').map((part) => part.replace(/^`(.*)`$/, '$1'));
  if (parts.length === 3 && parts[0] !== engine.catalog) return false;
  if (parts.length !== 2 && parts.length !== 3) throw new Error(`spark.catalog.tableExists: "${name}" is not schema.table or catalog.schema.table`);
  return engine.tableExists(parts.slice(-2).join('.'));
}

/** spark.sql's args as the engine's parameter values: strings, numbers and booleans as Databricks would render them. */
function parameterValues(args: Record<string, unknown> | null): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(args ?? {})) {
    if (typeof value === 'string') values[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') values[name] = String(value);
    else throw new Error(`spark.sql argument ${name} is ${value === null ? 'None' : 'not a string, number or boolean'}: not supported locally`);
  }
  return values;
}

/** Calls `onLine` for each complete line of `stream`. */
function onLines(stream: Readable, onLine: (line: string) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    for (let newline = pending.indexOf('\n'); newline !== -1; newline = pending.indexOf('\n')) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line.trim() !== '') onLine(line);
    }
  });
}

/** The exception line of a Python traceback: its last non-blank line. */
function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trimEnd())
      .filter((l) => l !== '')
      .at(-1) ?? ''
  );
}

/**
 * Runs `file` (relative to the project root) with `widgets` as its widget values; its
 * spark.sql queries run on `engine` (Databricks SQL, translated as for the SQL files). Rejects
 * with a NotebookError naming the notebook's exception when it fails.
 */
export function runNotebook(engine: LocalEngine, file: string, widgets: Readonly<Record<string, string>>, options: NotebookRunOptions = {}): Promise<NotebookRun> {
  const projectRoot = options.projectRoot ?? DEFAULT_PROJECT_ROOT;
  const volumesDir = options.volumesDir ?? engine.volumes.root;
  // -S: site's startup hooks do not run; the host puts site-packages on sys.path itself (put_site_packages_on_path)
  const child = spawn(pythonInterpreter(), ['-S', resolve(projectRoot, 'local', 'notebook_host.py'), '--volumes', volumesDir, '--widgets', JSON.stringify(widgets), file], {
    cwd: projectRoot,
    env: { ...process.env, ...options.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONIOENCODING: 'utf-8' },
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
  });
  const replies = child.stdin as Writable;
  const requests = child.stdio[3] as Readable;
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // the host may exit (failing) while a reply is on its way
  replies.on('error', () => undefined);

  // requests are answered one at a time, in order (the host waits for each reply)
  let queue: Promise<void> = Promise.resolve();
  const taskValues: Record<string, unknown> = {};
  onLines(requests, (line) => {
    queue = queue.then(async () => {
      let reply: { rows: Row[] } | { error: string } | { ok: true } | { exists: boolean };
      try {
        const request = JSON.parse(line) as HostRequest;
        if ('taskValue' in request) {
          taskValues[request.taskValue.key] = request.taskValue.value;
          reply = { ok: true };
        } else if ('tableExists' in request) reply = { exists: await tableExists(engine, request.tableExists) };
        else reply = { rows: await engine.execute(file, request.line, request.sql, parameterValues(request.args)) };
      } catch (error) {
        reply = { error: error instanceof Error ? error.message : String(error) };
      }
      if (replies.writable) replies.write(`${JSON.stringify(reply)}\n`);
    });
  });

  return new Promise<NotebookRun>((resolvePromise, reject) => {
    child.on('error', (error) => reject(new NotebookError(file, `cannot start python3: ${error.message}`, '', stdout)));
    child.on('close', (code, signal) => {
      void queue.then(() => {
        if (code === 0) return resolvePromise({ output: stdout, taskValues });
        const reason = signal ? `killed by ${signal}` : lastLine(stderr) || `python3 exited with status ${code}`;
        reject(new NotebookError(file, reason, stderr, stdout));
      });
    });
  });
}
