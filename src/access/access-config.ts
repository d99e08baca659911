import { z } from 'zod';
import { envInteger } from '../env-integer.ts';
import { Role } from './roles.ts';

/**
 * Only asymmetric algorithms: the verifier holds public keys, so accepting an HMAC
 * algorithm would let anyone who has the public key (everyone) sign tokens with it,
 * and `none` would accept unsigned tokens.
 */
export const AsymmetricAlgorithm = z.enum([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
]);
export type AsymmetricAlgorithm = z.infer<typeof AsymmetricAlgorithm>;

const list = <T extends z.ZodType<string, string>>(item: T) =>
  z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item));

const isLoopback = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

/** The JWKS must come over TLS; plain http only on loopback (a local identity provider, the tests). */
const JwksUrl = z.url().refine((u) => {
  const url = new URL(u);
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url));
}, 'the JWKS URL must be https (http only on localhost)');

const RoleMap = z
  .string()
  .transform((s, ctx) => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object such as {"Ledger.Viewer":"viewer"}' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string().min(1), Role));

export const AccessEnv = z.object({
  LEDGER_OIDC_ISSUER: z.string().min(1).optional(),
  LEDGER_OIDC_AUDIENCE: z.string().min(1).optional(),
  LEDGER_OIDC_JWKS_URL: JwksUrl.optional(),
  LEDGER_OIDC_ALGORITHMS: list(AsymmetricAlgorithm).default(['RS256', 'PS256', 'ES256', 'EdDSA']),
  /** Seconds of clock skew allowed on exp and nbf; small, because a stolen token lives that much longer. */
  LEDGER_OIDC_CLOCK_TOLERANCE_SECONDS: envInteger(0, 300).default(30),
  LEDGER_OIDC_ROLE_CLAIM: z.string().min(1).default('roles'),
  LEDGER_OIDC_ORGANISATION_CLAIM: z.string().min(1).default('organisation'),
  LEDGER_OIDC_NAME_CLAIM: z.string().min(1).default('name'),
  /** Role claim value → ledger role; by default the claim carries the ledger's own role names. */
  LEDGER_OIDC_ROLE_MAP: RoleMap.optional(),
  /** Origins a browser may call the API from; none by default. */
  LEDGER_CORS_ORIGINS: list(z.url()).default([]),
  /** Requests per principal (or per address before authentication) per window. */
  LEDGER_RATE_LIMIT_MAX: envInteger(1).default(1200),
  LEDGER_RATE_LIMIT_WINDOW_MS: envInteger(1000).default(60_000),
  LEDGER_HEADER_LIMIT: envInteger(1024, 64 * 1024).default(16 * 1024),
});

export interface OidcSettings {
  issuer: string;
  audience: string;
  jwksUrl: string;
  algorithms: AsymmetricAlgorithm[];
  clockToleranceSeconds: number;
  claims: { role: string; organisation: string; name: string };
  roleMap: Record<string, Role>;
}

export interface AccessSettings {
  oidc: OidcSettings | undefined;
  corsOrigins: string[];
  rateLimit: { max: number; windowMs: number };
  headerLimit: number;
}

const identityRoleMap = Object.fromEntries(Role.options.map((r) => [r, r])) as Record<string, Role>;

/** OIDC is all-or-nothing: issuer, audience and JWKS URL together, so a half-configured verifier never runs. */
export const toAccessSettings = (e: z.infer<typeof AccessEnv>): AccessSettings => {
  const given = [e.LEDGER_OIDC_ISSUER, e.LEDGER_OIDC_AUDIENCE, e.LEDGER_OIDC_JWKS_URL].filter((v) => v !== undefined).length;
  if (given !== 0 && given !== 3) throw new Error('LEDGER_OIDC_ISSUER, LEDGER_OIDC_AUDIENCE and LEDGER_OIDC_JWKS_URL must be set together');
  return {
    oidc:
      given === 3
        ? {
            issuer: e.LEDGER_OIDC_ISSUER!,
            audience: e.LEDGER_OIDC_AUDIENCE!,
            jwksUrl: e.LEDGER_OIDC_JWKS_URL!,
            algorithms: e.LEDGER_OIDC_ALGORITHMS,
            clockToleranceSeconds: e.LEDGER_OIDC_CLOCK_TOLERANCE_SECONDS,
            claims: { role: e.LEDGER_OIDC_ROLE_CLAIM, organisation: e.LEDGER_OIDC_ORGANISATION_CLAIM, name: e.LEDGER_OIDC_NAME_CLAIM },
            roleMap: e.LEDGER_OIDC_ROLE_MAP ?? identityRoleMap,
          }
        : undefined,
    corsOrigins: e.LEDGER_CORS_ORIGINS,
    rateLimit: { max: e.LEDGER_RATE_LIMIT_MAX, windowMs: e.LEDGER_RATE_LIMIT_WINDOW_MS },
    headerLimit: e.LEDGER_HEADER_LIMIT,
  };
};
