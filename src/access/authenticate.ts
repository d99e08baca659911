import type { KeyStore } from './port.ts';
import { looksLikeApiKey } from './api-key.ts';
import type { OidcVerifier } from './oidc.ts';
import type { Principal } from './principal.ts';
import type { OrganisationDirectory } from '../organisations/organisation-directory.ts';

/** What the credentials on a request establish: nobody, somebody, or a refusal with its answer. */
export type Authentication =
  | { kind: 'anonymous' }
  | { kind: 'principal'; principal: Principal }
  | { kind: 'refused'; status: 401 | 403 | 503; code: string; detail: string };

const refused = (status: 401 | 403 | 503, code: string, detail: string): Authentication => ({ kind: 'refused', status, code, detail });

export interface Authenticator {
  (authorization: string | undefined): Promise<Authentication>;
}

/**
 * Reads `Authorization: Bearer <credential>`. A credential starting `al_` is an API key,
 * anything else is an OpenID Connect token. Credentials are never read from the query
 * string (they would end up in logs) or from any other header.
 */
export const createAuthenticator =
  (deps: { keys: KeyStore; oidc: OidcVerifier | undefined; directory: OrganisationDirectory }): Authenticator =>
  async (authorization) => {
    if (authorization === undefined || authorization === '') return { kind: 'anonymous' };
    const match = /^Bearer ([\x21-\x7e]{1,8192})$/i.exec(authorization);
    if (!match) return refused(401, 'invalid-authorization-header', 'Authorization must be "Bearer <API key or token>"');
    const credential = match[1]!;
    if (looksLikeApiKey(credential)) {
      const record = await deps.keys.verify(credential);
      if (!record) return refused(401, 'invalid-api-key', 'The API key is not valid: malformed, unknown or revoked');
      return {
        kind: 'principal',
        principal: {
          via: 'api-key',
          keyId: record.keyId,
          name: record.name,
          role: record.role,
          organisation: deps.directory.canonical(record.organisation),
        },
      };
    }
    if (!deps.oidc) return refused(401, 'invalid-token', 'This ledger accepts API keys only: no identity provider is configured');
    const outcome = await deps.oidc(credential);
    return outcome.ok ? { kind: 'principal', principal: outcome.principal } : refused(outcome.status, outcome.code, outcome.detail);
  };
