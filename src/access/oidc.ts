import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { OrganisationDirectory } from '../organisations/organisation-directory.ts';
import type { OidcSettings } from './access-config.ts';
import { claimedName } from './claimed-name.ts';
import { claimedOrganisation, unacceptableSubject } from './oidc-identity.ts';
import type { Principal } from './principal.ts';
import type { Role } from './roles.ts';
import { createVerifiedTokenCache } from './verified-token-cache.ts';
import { backingOffAfterFailure, providerUnavailable } from './oidc-key-backoff.ts';

export type TokenOutcome =
  | { ok: true; principal: Principal }
  /** 401: the token itself is bad; `detail` is safe to show (RFC 6750 error_description). */
  | { ok: false; status: 401; code: 'invalid-token'; detail: string }
  /** 403: a genuine token whose claims give no single ledger role or no organisation. */
  | { ok: false; status: 403; code: 'token-grants-no-role' | 'token-names-no-organisation'; detail: string }
  /** 503: we could not fetch the identity provider's keys; not the caller's fault. */
  | { ok: false; status: 503; code: 'identity-provider-unavailable'; detail: string };

const claimStrings = (payload: JWTPayload, claim: string): string[] => {
  const value = payload[claim];
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
};

const whyRefused = (error: unknown): string => {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `the token's ${error.claim} claim is not acceptable`;
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the token is not signed with an accepted algorithm';
  return 'the token could not be verified';
};

/**
 * Verifies OpenID Connect access tokens against the issuer's published keys (cached,
 * refetched at most every 30 s when an unknown key id appears) and maps their claims
 * to a principal. Exactly one ledger role must result: two would leave the choice to us.
 */
export const createOidcVerifier = (settings: OidcSettings, directory: OrganisationDirectory) => {
  const keys = backingOffAfterFailure(createRemoteJWKSet(new URL(settings.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 }));
  const verified = createVerifiedTokenCache();
  return async (token: string): Promise<TokenOutcome> => {
    const cached = verified.get(token);
    if (cached) return { ok: true, principal: cached };
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: settings.algorithms,
        clockTolerance: settings.clockToleranceSeconds,
        requiredClaims: ['sub', 'exp', 'iss', 'aud'],
      }));
    } catch (error) {
      if (providerUnavailable(error))
        return { ok: false, status: 503, code: 'identity-provider-unavailable', detail: 'the identity provider did not answer' };
      return { ok: false, status: 401, code: 'invalid-token', detail: whyRefused(error) };
    }
    // jose checks that sub is there, not what it is: the subject is who every event and access-log entry names.
    const badSubject = unacceptableSubject(payload.sub);
    if (badSubject) return { ok: false, status: 401, code: 'invalid-token', detail: badSubject };
    const mapped = new Set(
      claimStrings(payload, settings.claims.role).flatMap((v) => (Object.hasOwn(settings.roleMap, v) ? [settings.roleMap[v]!] : [])),
    );
    if (mapped.size !== 1)
      return {
        ok: false,
        status: 403,
        code: 'token-grants-no-role',
        detail: `the ${settings.claims.role} claim must map to exactly one ledger role`,
      };
    const organisation = claimedOrganisation(settings.claims.organisation, claimStrings(payload, settings.claims.organisation), directory);
    if (!organisation.ok) return { ok: false, status: 403, code: 'token-names-no-organisation', detail: organisation.detail };
    const [name] = claimStrings(payload, settings.claims.name);
    const principal: Principal = {
      via: 'oidc',
      subject: payload.sub!,
      issuer: settings.issuer,
      name: claimedName(name) ?? payload.sub!,
      role: [...mapped][0] as Role,
      organisation: organisation.organisation,
    };
    verified.set(token, principal, (payload.exp! + settings.clockToleranceSeconds) * 1000);
    return { ok: true, principal };
  };
};
export type OidcVerifier = ReturnType<typeof createOidcVerifier>;
