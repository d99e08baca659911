import { randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { OrganisationDirectory } from '../organisations/organisation-directory.ts';
import type { KeyStore } from './port.ts';
import type { Principal } from './principal.ts';
import { Role } from './roles.ts';

/**
 * Sessions for people using the web pages. A session is a signed token (HS256 JWS) held in
 * an HttpOnly cookie, so every instance that shares the secret accepts it and no instance
 * keeps session state. An API-key session names only the key: on every request the key
 * store is asked whether that key is still live, and its role and organisation are read
 * afresh, so revoking a key ends its sessions on every instance at the next request. An
 * OpenID Connect session carries what the identity provider said at sign-in and lasts at
 * most the session lifetime.
 */
export interface SessionSettings {
  /** HMAC key shared by every instance (at least 32 bytes). */
  secret: Uint8Array;
  /** Absolute lifetime of a session from sign-in. */
  ttlSeconds: number;
}

export type SessionCheck =
  | { ok: true; principal: Principal; sessionId: string; expiresAt: number }
  | { ok: false; reason: 'no-session' | 'expired' | 'ended' | 'invalid' };

const ISSUER = 'assurance-ledger/web-session';

type Claims =
  { via: 'api-key'; keyId: string } | { via: 'oidc'; subject: string; issuer: string; name: string; role: Role; organisation: string };

export const createSessions = (deps: {
  settings: SessionSettings;
  keys: Pick<KeyStore, 'get'>;
  directory: Pick<OrganisationDirectory, 'canonical'>;
  clock?: () => Date;
}) => {
  const { secret, ttlSeconds } = deps.settings;
  if (secret.byteLength < 32) throw new Error('the session secret must be at least 32 bytes');
  const now = () => Math.floor((deps.clock ?? (() => new Date()))().getTime() / 1000);

  const claimsOf = (principal: Principal): Claims =>
    principal.via === 'api-key'
      ? { via: 'api-key', keyId: principal.keyId }
      : {
          via: 'oidc',
          subject: principal.subject,
          issuer: principal.issuer,
          name: principal.name,
          role: principal.role,
          organisation: principal.organisation,
        };

  const principalOf = async (claims: Record<string, unknown>): Promise<Principal | 'ended' | undefined> => {
    if (claims.via === 'api-key' && typeof claims.keyId === 'string') {
      const record = await deps.keys.get(claims.keyId);
      if (!record || record.revokedAt !== null) return 'ended';
      return {
        via: 'api-key',
        keyId: record.keyId,
        name: record.name,
        role: record.role,
        organisation: deps.directory.canonical(record.organisation),
      };
    }
    const role = Role.safeParse(claims.role);
    if (
      claims.via === 'oidc' &&
      role.success &&
      [claims.subject, claims.issuer, claims.name, claims.organisation].every((v) => typeof v === 'string')
    )
      return {
        via: 'oidc',
        subject: claims.subject as string,
        issuer: claims.issuer as string,
        name: claims.name as string,
        role: role.data,
        organisation: deps.directory.canonical(claims.organisation as string),
      };
    return undefined;
  };

  return {
    ttlSeconds,
    /** A new session for a principal; `notAfter` (seconds) shortens it, e.g. to the identity provider's own session. */
    async issue(principal: Principal, notAfter?: number): Promise<{ token: string; sessionId: string; expiresAt: number }> {
      const issuedAt = now();
      const expiresAt = Math.min(issuedAt + ttlSeconds, notAfter ?? Number.POSITIVE_INFINITY);
      const sessionId = randomBytes(16).toString('base64url');
      const token = await new SignJWT({ ...claimsOf(principal) })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer(ISSUER)
        .setJti(sessionId)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresAt)
        .sign(secret);
      return { token, sessionId, expiresAt };
    },
    /** Who a session cookie belongs to now, or why it no longer counts. */
    async check(token: string | undefined): Promise<SessionCheck> {
      if (!token) return { ok: false, reason: 'no-session' };
      try {
        const { payload } = await jwtVerify(token, secret, {
          issuer: ISSUER,
          algorithms: ['HS256'],
          currentDate: new Date(now() * 1000),
          requiredClaims: ['jti', 'exp', 'iat'],
        });
        const principal = await principalOf(payload);
        if (principal === 'ended') return { ok: false, reason: 'ended' };
        if (!principal) return { ok: false, reason: 'invalid' };
        return { ok: true, principal, sessionId: payload.jti!, expiresAt: payload.exp! };
      } catch (error) {
        return { ok: false, reason: error instanceof errors.JWTExpired ? 'expired' : 'invalid' };
      }
    },
  };
};
export type Sessions = ReturnType<typeof createSessions>;
