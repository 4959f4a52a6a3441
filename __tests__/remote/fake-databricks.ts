import { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../remote/clock';
import type { Run, RunState, RunStatus, RunTask } from '../../remote/jobs-api';
import type { PipelineEvent, PipelineStateInfo } from '../../remote/pipelines-api';

// A stand-in for the documented Databricks REST endpoints the remote client calls, served
// with node:http on 127.0.0.1 (port 0) inside the test: the Jobs API 2.2 (jobs/list,
// run-now, runs/get, runs/list), the Pipelines API 2.0 (list, start update, get update,
// events), the Files API of volumes (upload and delete a file, create, list and delete a
// directory; a file's parent must exist, a volume is never created by a request, only an
// empty directory is deleted) and the OAuth M2M token endpoint. It records every request, can be told to fail
// a request (status, Retry-After, body), and plays scripted run and update states.

/** A token-shaped test value, built at run time so no secret-looking literal sits in the source. */
export function fakeSecret(prefix: string, filler = 'x'): string {
  return [prefix, filler.repeat(32)].join('');
}

/** A request the fake received. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON, or the fields of a form body; empty for an octet stream. */
  readonly body: Record<string, unknown>;
  /** The body as sent. */
  readonly raw: Buffer;
  /** The file or directory path of a Files API request, decoded (`/Volumes/c/s/v/a b.csv`). */
  readonly filePath?: string;
}

/** A canned failure, answered (instead of the real thing) to the next `times` matching requests. */
export interface Fault {
  readonly method?: string;
  readonly path: string;
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON-encoded unless a string. */
  readonly body?: unknown;
  times: number;
}

/** What `runs/get` shows of a run at one poll. */
export interface RunSnapshot {
  readonly state?: RunState;
  readonly status?: RunStatus;
  readonly tasks?: readonly RunTask[];
}

/** A clock whose sleeps return at once and move time forward; every sleep is recorded. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];

  constructor(public time = Date.UTC(2026, 0, 1, 0, 0, 0)) {}

  now(): number {
    return this.time;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
  }
}

const SUCCESS: RunSnapshot = { state: { life_cycle_state: 'TERMINATED', result_state: 'SUCCESS', state_message: '' } };

/** `LIKE` as the fake understands it: `%` any run of characters, `_` any one, case-insensitive. */
function likeRegExp(pattern: string): RegExp {
  const source = [...pattern].map((c) => (c === '%' ? '.*' : c === '_' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 'i');
}

export class FakeDatabricks {
  /** `http://127.0.0.1:<port>` once started. */
  url = '';
  readonly requests: RecordedRequest[] = [];
  readonly faults: Fault[] = [];
  /** Bearer tokens the API accepts. */
  readonly bearerTokens = new Set<string>();
  /** The one token accepted by default. */
  readonly token = fakeSecret('dapi');

  jobs: { job_id: number; name: string }[] = [];
  /** Page size of jobs/list, whatever `limit` asks (≤ 100). */
  jobsPageSize = 100;
  /** What runs/get shows of successive polls of a run of each job; the last snapshot repeats. Success at once by default. */
  readonly runScripts = new Map<number, RunSnapshot[]>();
  /** Page size of a run's `tasks` in runs/get (the API pages past 100). */
  runTasksPageSize = 100;
  /** What runs/list returns as a job's latest run. */
  readonly latestRuns = new Map<number, Run>();

  pipelines: PipelineStateInfo[] = [];
  pipelinesPageSize = 100;
  /** Successive `update.state` values of updates of each pipeline; the last repeats. COMPLETED at once by default. */
  readonly updateScripts = new Map<string, string[]>();
  /** Events of each pipeline, newest first. */
  readonly events = new Map<string, PipelineEvent[]>();

  /** Files of the volumes, by path, and the directories that exist (volume roots included: a request never creates a volume). */
  readonly files = new Map<string, Buffer>();
  readonly directories = new Set<string>();
  /** Page size of a directory listing, whatever `page_size` asks (≤ 1000). */
  directoryPageSize = 1000;

  /** The service principal the OAuth token endpoint accepts, and what it hands out. */
  oauth?: { clientId: string; clientSecret: string; accessToken: string; expiresIn: number };

  private server?: Server;
  private nextRunId = 5001;
  private nextUpdate = 1;
  private readonly runs = new Map<number, { jobId: number; polls: number }>();
  private readonly runsByIdempotencyToken = new Map<string, number>();
  private readonly updates = new Map<string, { pipelineId: string; polls: number; body: Record<string, unknown> }>();

  constructor() {
    this.bearerTokens.add(this.token);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((error: unknown) => this.reply(res, 500, { error_code: 'FAKE_BUG', message: String(error) }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Requests received on a path (any method unless given). */
  requestsTo(path: string, method?: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path && (!method || r.method === method));
  }

  /** Makes a directory and its parents exist (a volume root too). */
  addDirectory(path: string): void {
    const segments = path.replace(/\/+$/, '').split('/');
    for (let i = 2; i <= segments.length; i++) this.directories.add(segments.slice(0, i).join('/'));
  }

  /** Makes a file exist, with its parent directories. */
  addFile(path: string, contents: string | Buffer): void {
    this.addDirectory(path.slice(0, path.lastIndexOf('/')));
    this.files.set(path, Buffer.from(contents));
  }

  /** Every file and directory path at or below `path`. */
  pathsUnder(path: string): string[] {
    const root = path.replace(/\/+$/, '');
    return [...this.directories, ...this.files.keys()].filter((p) => p === root || p.startsWith(`${root}/`)).sort();
  }

  /** Answers the next `times` requests to `path` with a failure. */
  fail(fault: Omit<Fault, 'times'> & { times?: number }): void {
    this.faults.push({ ...fault, times: fault.times ?? 1 });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks)));
    });
    const text = raw.toString('utf8');
    const contentType = String(req.headers['content-type']);
    const body = !text || contentType.includes('octet-stream') ? {} : contentType.includes('json') ? (JSON.parse(text) as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(text));
    const filesRoute = /^\/api\/2\.0\/fs\/(files|directories)(\/.*)$/.exec(url.pathname);
    const filePath = filesRoute ? filesRoute[2].split('/').map((s) => decodeURIComponent(s)).join('/').replace(/\/+$/, '') : undefined;
    const request: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body, raw, filePath };
    this.requests.push(request);

    const fault = this.faults.find((f) => f.times > 0 && f.path === request.path && (!f.method || f.method === request.method));
    if (fault) {
      fault.times--;
      res.writeHead(fault.status, { 'Content-Type': typeof fault.body === 'string' ? 'text/html' : 'application/json', ...fault.headers });
      res.end(typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body ?? {}));
      return;
    }
    if (request.path === '/oidc/v1/token' && request.method === 'POST') return this.issueToken(request, res);
    const authorization = String(request.headers.authorization ?? '');
    if (!authorization.startsWith('Bearer ') || !this.bearerTokens.has(authorization.slice('Bearer '.length))) {
      return this.reply(res, 401, { error_code: 'UNAUTHENTICATED', message: 'Invalid access token.' });
    }
    const route = `${request.method} ${request.path}`;
    if (route === 'GET /api/2.2/jobs/list') return this.listJobs(request, res);
    if (route === 'POST /api/2.2/jobs/run-now') return this.runNow(request, res);
    if (route === 'GET /api/2.2/jobs/runs/get') return this.getRun(request, res);
    if (route === 'GET /api/2.2/jobs/runs/list') return this.listRuns(request, res);
    if (route === 'GET /api/2.0/pipelines') return this.listPipelines(request, res);
    if (filesRoute && filePath !== undefined) return this.filesApi(filesRoute[1] as 'files' | 'directories', filePath, request, res);
    const pipelineRoute = /^\/api\/2\.0\/pipelines\/([^/]+)\/(updates|events)(?:\/([^/]+))?$/.exec(request.path);
    if (pipelineRoute) {
      const [, pipelineId, kind, updateId] = pipelineRoute;
      if (kind === 'updates' && request.method === 'POST' && !updateId) return this.startUpdate(pipelineId, request, res);
      if (kind === 'updates' && request.method === 'GET' && updateId) return this.getUpdate(pipelineId, updateId, res);
      if (kind === 'events' && request.method === 'GET' && !updateId) return this.reply(res, 200, { events: this.events.get(pipelineId) ?? [] });
    }
    this.reply(res, 404, { error_code: 'ENDPOINT_NOT_FOUND', message: `No API found for '${route}'` });
  }

  private reply(res: ServerResponse, status: number, body: unknown): void {
    if (body === undefined) {
      res.writeHead(status);
      res.end();
      return;
    }
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private issueToken(request: RecordedRequest, res: ServerResponse): void {
    const expected = this.oauth && `Basic ${Buffer.from(`${this.oauth.clientId}:${this.oauth.clientSecret}`).toString('base64')}`;
    if (!this.oauth || request.headers.authorization !== expected) return this.reply(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed' });
    if (request.body.grant_type !== 'client_credentials' || request.body.scope !== 'all-apis') return this.reply(res, 400, { error: 'invalid_request' });
    this.bearerTokens.add(this.oauth.accessToken);
    this.reply(res, 200, { access_token: this.oauth.accessToken, token_type: 'Bearer', expires_in: this.oauth.expiresIn, scope: 'all-apis' });
  }

  private listJobs(request: RecordedRequest, res: ServerResponse): void {
    const name = request.query.get('name');
    const matching = this.jobs.filter((job) => !name || job.name.toLowerCase() === name.toLowerCase());
    const offset = Number(request.query.get('page_token') ?? 0);
    const size = Math.min(Number(request.query.get('limit') ?? 20), this.jobsPageSize);
    if (size > 100) return this.reply(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: 'limit must be at most 100' });
    const page = matching.slice(offset, offset + size);
    const hasMore = offset + size < matching.length;
    this.reply(res, 200, {
      jobs: page.map((job) => ({ job_id: job.job_id, settings: { name: job.name } })),
      has_more: hasMore,
      ...(hasMore ? { next_page_token: String(offset + size) } : {}),
    });
  }

  private runNow(request: RecordedRequest, res: ServerResponse): void {
    const jobId = request.body.job_id as number;
    if (!this.jobs.some((job) => job.job_id === jobId)) return this.reply(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: `Job ${jobId} does not exist.` });
    const token = request.body.idempotency_token as string | undefined;
    const existing = token === undefined ? undefined : this.runsByIdempotencyToken.get(token);
    const runId = existing ?? this.nextRunId++;
    if (existing === undefined) this.runs.set(runId, { jobId, polls: 0 });
    if (token !== undefined) this.runsByIdempotencyToken.set(token, runId);
    this.reply(res, 200, { run_id: runId, number_in_job: runId });
  }

  private getRun(request: RecordedRequest, res: ServerResponse): void {
    const runId = Number(request.query.get('run_id'));
    const run = this.runs.get(runId);
    if (!run) return this.reply(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: `Run ${runId} does not exist.` });
    const script = this.runScripts.get(run.jobId) ?? [SUCCESS];
    const pageToken = request.query.get('page_token');
    const snapshot = script[Math.min(pageToken ? run.polls - 1 : run.polls, script.length - 1)];
    if (!pageToken) run.polls++;
    const offset = Number(pageToken ?? 0);
    const tasks = snapshot.tasks?.slice(offset, offset + this.runTasksPageSize);
    const more = snapshot.tasks !== undefined && offset + this.runTasksPageSize < snapshot.tasks.length;
    this.reply(res, 200, {
      run_id: runId,
      job_id: run.jobId,
      run_page_url: `${this.url}/jobs/${run.jobId}/runs/${runId}`,
      ...snapshot,
      ...(tasks ? { tasks } : {}),
      ...(more ? { next_page_token: String(offset + this.runTasksPageSize) } : {}),
    });
  }

  private listRuns(request: RecordedRequest, res: ServerResponse): void {
    const latest = this.latestRuns.get(Number(request.query.get('job_id')));
    this.reply(res, 200, { runs: latest ? [latest] : [], has_more: false });
  }

  private listPipelines(request: RecordedRequest, res: ServerResponse): void {
    const filter = request.query.get('filter');
    const like = filter ? /^name LIKE '(.*)'$/.exec(filter) : null;
    if (filter && !like) return this.reply(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: `Unsupported filter: ${filter}` });
    const pattern = like ? likeRegExp(like[1]) : undefined;
    const matching = this.pipelines.filter((p) => !pattern || pattern.test(p.name ?? ''));
    const offset = Number(request.query.get('page_token') ?? 0);
    const size = Math.min(Number(request.query.get('max_results') ?? 25), this.pipelinesPageSize);
    const hasMore = offset + size < matching.length;
    this.reply(res, 200, { statuses: matching.slice(offset, offset + size), ...(hasMore ? { next_page_token: String(offset + size) } : {}) });
  }

  private filesApi(kind: 'files' | 'directories', path: string, request: RecordedRequest, res: ServerResponse): void {
    const notFound = (what: string) => this.reply(res, 404, { error_code: 'NOT_FOUND', message: `${what} ${path} does not exist.` });
    const parent = path.slice(0, path.lastIndexOf('/'));
    const volumeRoot = path.split('/').slice(0, 5).join('/');
    if (!path.startsWith('/Volumes/') || path.split('/').length < 5) return this.reply(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: `${path} is not a path in a volume.` });
    if (!this.directories.has(volumeRoot)) return notFound('Volume');
    const route = `${request.method} ${kind}`;
    if (route === 'PUT files') {
      if (!this.directories.has(parent)) return notFound('Directory');
      if (this.directories.has(path)) return this.reply(res, 409, { error_code: 'ALREADY_EXISTS', message: `${path} is a directory.` });
      if (this.files.has(path) && request.query.get('overwrite') === 'false') return this.reply(res, 409, { error_code: 'ALREADY_EXISTS', message: `${path} already exists.` });
      this.files.set(path, request.raw);
      return this.reply(res, 204, undefined);
    }
    if (route === 'DELETE files') {
      if (!this.files.delete(path)) return notFound('File');
      return this.reply(res, 204, undefined);
    }
    if (route === 'PUT directories') {
      const segments = path.split('/');
      for (let i = 5; i <= segments.length; i++) if (this.files.has(segments.slice(0, i).join('/'))) return this.reply(res, 409, { error_code: 'ALREADY_EXISTS', message: `${segments.slice(0, i).join('/')} is a file.` });
      this.addDirectory(path);
      return this.reply(res, 204, undefined);
    }
    if (!this.directories.has(path)) return notFound('Directory');
    const children = this.pathsUnder(path).filter((p) => p !== path && !p.slice(path.length + 1).includes('/'));
    if (route === 'DELETE directories') {
      if (path === volumeRoot) return this.reply(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: 'A volume is not deleted through the Files API.' });
      if (children.length > 0) return this.reply(res, 409, { error_code: 'DIRECTORY_NOT_EMPTY', message: `Directory ${path} is not empty.` });
      this.directories.delete(path);
      return this.reply(res, 204, undefined);
    }
    if (route === 'GET directories') {
      const offset = Number(request.query.get('page_token') ?? 0);
      const size = Math.min(Number(request.query.get('page_size') ?? 1000), this.directoryPageSize, 1000);
      const page = children.slice(offset, offset + size).map((p) => ({
        path: this.directories.has(p) ? `${p}/` : p,
        name: p.slice(p.lastIndexOf('/') + 1),
        is_directory: this.directories.has(p),
        ...(this.files.has(p) ? { file_size: this.files.get(p)!.length, last_modified: 1_767_225_600_000 } : {}),
      }));
      return this.reply(res, 200, { contents: page, ...(offset + size < children.length ? { next_page_token: String(offset + size) } : {}) });
    }
    this.reply(res, 404, { error_code: 'ENDPOINT_NOT_FOUND', message: `No API found for '${request.method} ${request.path}'` });
  }

  private startUpdate(pipelineId: string, request: RecordedRequest, res: ServerResponse): void {
    if (!this.pipelines.some((p) => p.pipeline_id === pipelineId)) return this.reply(res, 404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Pipeline ${pipelineId} does not exist.` });
    const updateId = `update-${this.nextUpdate++}`;
    this.updates.set(updateId, { pipelineId, polls: 0, body: request.body });
    this.reply(res, 200, { update_id: updateId, request_id: updateId });
  }

  private getUpdate(pipelineId: string, updateId: string, res: ServerResponse): void {
    const update = this.updates.get(updateId);
    if (!update || update.pipelineId !== pipelineId) return this.reply(res, 404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Update ${updateId} does not exist.` });
    const script = this.updateScripts.get(pipelineId) ?? ['COMPLETED'];
    const state = script[Math.min(update.polls, script.length - 1)];
    update.polls++;
    this.reply(res, 200, {
      update: { pipeline_id: pipelineId, update_id: updateId, state, cause: 'API_CALL', full_refresh: update.body.full_refresh, validate_only: update.body.validate_only },
    });
  }
}
