import { FailedError, InvalidInputError } from '../model/errors';

/**
 * The errors of `npm run remote`. Their exit codes are those of their base classes
 * (model/errors.ts): bad input 2, a failed call 1.
 */

/** Input the CLI cannot act on: an unknown environment, workflow or pipeline, a job that is not deployed, a bad option. Exit code 2. */
export class BadInputError extends InvalidInputError {
  constructor(message: string) {
    super(message);
    this.name = 'BadInputError';
  }
}

/** No usable credentials for the workspace. A kind of bad input: exit code 2. */
export class MissingCredentialsError extends BadInputError {
  constructor(message: string) {
    super(message);
    this.name = 'MissingCredentialsError';
  }
}

/** What went wrong with one REST call. */
export interface ApiFailure {
  readonly method: string;
  /** The path called, without its query string, e.g. `/api/2.2/jobs/run-now`. */
  readonly path: string;
  /** HTTP status of the last attempt; absent when no response came back (network error, timeout). */
  readonly status?: number;
  /** The API's `error_code` (or OAuth `error`), when it gave one. */
  readonly errorCode?: string;
  /** The API's `message` (or OAuth `error_description`), or the network error. */
  readonly detail?: string;
  /** How many times the request was sent. */
  readonly attempts: number;
}

/** A Databricks REST call that failed: a non-retryable 4xx, or retries exhausted. Exit code 1. */
export class ApiError extends FailedError implements ApiFailure {
  readonly method: string;
  readonly path: string;
  readonly status?: number;
  readonly errorCode?: string;
  readonly detail?: string;
  readonly attempts: number;

  constructor(failure: ApiFailure) {
    const status = failure.status === undefined ? 'no response' : `HTTP ${failure.status}`;
    const reason = [failure.errorCode, failure.detail].filter((part) => part).join(': ');
    const attempts = failure.attempts > 1 ? ` (after ${failure.attempts} attempts)` : '';
    super(`${failure.method} ${failure.path} failed with ${status}${reason ? `, ${reason}` : ''}${attempts}`);
    this.name = 'ApiError';
    this.method = failure.method;
    this.path = failure.path;
    this.status = failure.status;
    this.errorCode = failure.errorCode;
    this.detail = failure.detail;
    this.attempts = failure.attempts;
  }
}
