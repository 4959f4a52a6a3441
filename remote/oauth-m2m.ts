import type { Authenticator } from './authenticator';
import { ApiError } from './errors';
import { apiErrorOf } from './http-client';
import { Transport, sendWithRetries } from './transport';

// OAuth machine-to-machine: a service principal's client id and secret exchanged for a
// workspace access token, as the Databricks Terraform provider and CLI do.
// https://docs.databricks.com/aws/en/dev-tools/auth/oauth-m2m
//   POST https://<workspace>/oidc/v1/token, HTTP Basic client_id:client_secret,
//   body grant_type=client_credentials&scope=all-apis → { access_token, token_type, expires_in }
const TOKEN_PATH = '/oidc/v1/token';

/** A token is renewed this long before it expires (or at half its lifetime, when that is shorter). */
const RENEW_BEFORE_EXPIRY_MS = 60_000;

interface TokenResponse {
  readonly access_token?: unknown;
  readonly expires_in?: unknown;
}

/**
 * OAuth M2M credentials: fetches an access token from the workspace's `/oidc/v1/token`
 * endpoint on first use and reuses it until shortly before `expires_in`; concurrent requests
 * share one token request.
 */
export class OAuthM2MAuthenticator implements Authenticator {
  private cached?: { readonly token: string; readonly renewAt: number };
  private pending?: Promise<string>;

  constructor(
    private readonly host: string,
    private readonly clientId: string,
    private readonly clientSecret: string,
    private readonly transport: Transport,
    readonly description: string,
  ) {}

  async authorization(): Promise<string> {
    if (this.cached && this.transport.clock.now() < this.cached.renewAt) return `Bearer ${this.cached.token}`;
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = undefined;
    });
    return `Bearer ${await this.pending}`;
  }

  private async fetchToken(): Promise<string> {
    const url = new URL(`${this.host.replace(/\/+$/, '')}${TOKEN_PATH}`);
    const basic = Buffer.from(`${encodeURIComponent(this.clientId)}:${encodeURIComponent(this.clientSecret)}`).toString('base64');
    const { response, attempts } = await sendWithRetries(
      {
        method: 'POST',
        url,
        headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'all-apis' }).toString(),
      },
      this.transport,
    );
    const text = await response.text();
    if (!response.ok) throw new ApiError({ method: 'POST', path: TOKEN_PATH, status: response.status, ...apiErrorOf(text), attempts });
    let body: TokenResponse;
    try {
      body = JSON.parse(text) as TokenResponse;
    } catch {
      throw new ApiError({ method: 'POST', path: TOKEN_PATH, status: response.status, detail: 'the token response is not JSON', attempts });
    }
    if (typeof body.access_token !== 'string' || body.access_token === '') {
      throw new ApiError({ method: 'POST', path: TOKEN_PATH, status: response.status, detail: 'the token response has no access_token', attempts });
    }
    const lifetimeMs = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in * 1000 : 0;
    const renewAt = this.transport.clock.now() + lifetimeMs - Math.min(RENEW_BEFORE_EXPIRY_MS, lifetimeMs / 2);
    this.cached = { token: body.access_token, renewAt };
    return body.access_token;
  }
}
