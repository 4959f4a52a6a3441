import type { Authenticator } from './authenticator';
import { ApiError } from './errors';
import { HttpRequest, Transport, sendWithRetries } from './transport';

/** Query string values; undefined ones are left out. */
export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * JSON over HTTP to one Databricks workspace, over global `fetch`: authenticated,
 * retried on 429 and 5xx (see `sendWithRetries`), and failing with an ApiError that names
 * the method, path, status and the API's `error_code` and `message`.
 */
export class DatabricksHttpClient {
  /** The workspace URL, without a trailing slash. */
  readonly host: string;

  constructor(
    host: string,
    private readonly auth: Authenticator,
    private readonly transport: Transport,
  ) {
    this.host = host.replace(/\/+$/, '');
  }

  /** GETs `path` with a query string and returns the parsed JSON body. */
  get<T>(path: string, query: Query = {}): Promise<T> {
    return this.send<T>('GET', path, query, undefined);
  }

  /** POSTs `body` as JSON to `path` and returns the parsed JSON body. */
  post<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>('POST', path, {}, body);
  }

  /**
   * Sends one request, authenticated and retried, and returns the last response's status and
   * text whatever the status, for APIs whose bodies are not JSON (the Files API): the caller
   * decides what is an error (`failure` builds the ApiError of a response).
   */
  async exchange(method: HttpRequest['method'], path: string, query: Query, body?: { readonly contentType: string; readonly data: string | Uint8Array }): Promise<Exchange> {
    const url = new URL(`${this.host}${path}`);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = { Authorization: await this.auth.authorization(), Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = body.contentType;
    const { response, attempts } = await sendWithRetries({ method, url, headers, body: body?.data }, this.transport);
    return { method, path: url.pathname, status: response.status, ok: response.ok, text: await response.text(), attempts };
  }

  private async send<T>(method: 'GET' | 'POST', path: string, query: Query, body: unknown): Promise<T> {
    const exchange = await this.exchange(method, path, query, body === undefined ? undefined : { contentType: 'application/json', data: JSON.stringify(body) });
    if (!exchange.ok) throw failure(exchange);
    const { text } = exchange;
    if (text.trim() === '') return {} as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError({ method, path: exchange.path, status: exchange.status, detail: `the response is not JSON: ${excerpt(text)}`, attempts: exchange.attempts });
    }
  }
}

/** A request's outcome: the last response's status and body, and the attempts it took. */
export interface Exchange {
  readonly method: string;
  /** The URL's path, as errors name it. */
  readonly path: string;
  readonly status: number;
  readonly ok: boolean;
  readonly text: string;
  readonly attempts: number;
}

/** The ApiError of a failed exchange: method, path, status, and the API's `error_code` and `message`. */
export function failure(exchange: Exchange): ApiError {
  return new ApiError({ method: exchange.method, path: exchange.path, status: exchange.status, ...apiErrorOf(exchange.text), attempts: exchange.attempts });
}

/** The `error_code` and `message` of a Databricks error body (or the start of a body that is not JSON). */
export function apiErrorOf(text: string): { errorCode?: string; detail?: string } {
  try {
    const parsed = JSON.parse(text) as { error_code?: unknown; message?: unknown; error?: unknown; error_description?: unknown };
    const errorCode = typeof parsed.error_code === 'string' ? parsed.error_code : typeof parsed.error === 'string' ? parsed.error : undefined;
    const detail = typeof parsed.message === 'string' ? parsed.message : typeof parsed.error_description === 'string' ? parsed.error_description : undefined;
    if (errorCode || detail) return { errorCode, detail };
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.trim() ? { detail: excerpt(text) } : {};
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
