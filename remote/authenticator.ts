/** Where the `Authorization` header of every workspace request comes from. */
export interface Authenticator {
  /** How the credentials were found, for messages (never the credentials themselves). */
  readonly description: string;
  /** The `Authorization` header value, e.g. `Bearer …`. */
  authorization(): Promise<string>;
}

/** A fixed bearer token: a personal access token from DATABRICKS_TOKEN or a profile. */
export function bearerTokenAuthenticator(token: string, description: string): Authenticator {
  return { description, authorization: async () => `Bearer ${token}` };
}
