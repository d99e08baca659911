/**
 * Query parameters that carry secrets: an OpenID provider's authorization code and state on the
 * sign-in callback, and the names clients put a key or token under when they send it in the URL
 * (the ledger ignores credentials there, but the URL is still recorded).
 */
const SECRET_PARAMETERS = /([?&](?:code|state|session_state|id_token|access_token|token|api_key|apikey|key)=)[^&#]*/gi;
/** An API key wherever it stands (src/access/api-key.ts): its id is kept, so the operator knows which key to revoke. */
const API_KEY = /\b(al_[0-9a-f]{16}_)[A-Za-z0-9_-]+/g;
/** A JSON Web Token (a bearer token) wherever it stands: three base64url parts, the first a JSON header. */
const JWT = /\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

/**
 * A request's URL fit to record: the values of secret-bearing query parameters, the secret of an
 * API key and any token replaced by `[redacted]`. A key pasted into a URL (`?access_token=al_…`)
 * was written in full to the access log, which nothing may delete and every auditor reads, so
 * every auditor held a working key of someone else's.
 */
export const urlWithoutCredentials = (url: string): string =>
  url.replace(SECRET_PARAMETERS, '$1[redacted]').replace(API_KEY, '$1[redacted]').replace(JWT, '[redacted]');
