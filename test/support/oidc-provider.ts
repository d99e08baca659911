import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import type { OidcSettings } from '../../src/access/access-config.ts';

export const ISSUER = 'https://login.test.nhs.example/tenant';
export const AUDIENCE = 'api://assurance-ledger';

/**
 * A stand-in identity provider: an RSA key pair whose public half is served as a JWKS on
 * loopback, and helpers that sign the good tokens and every kind of bad one.
 */
export const startOidcProvider = async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const other = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
  const publicPem = await exportSPKI(publicKey);
  let fetches = 0;
  const server = http.createServer((_req, res) => {
    fetches++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;

  const now = () => Math.floor(Date.now() / 1000);
  type Claims = JWTPayload & Record<string, unknown>;
  const base = (claims: Claims) => ({
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'user-1',
    iat: now(),
    exp: now() + 300,
    name: 'Sam Jones',
    ...claims,
  });
  const signWith = (key: CryptoKey | Uint8Array, alg: string, claims: Claims) =>
    new SignJWT(base(claims)).setProtectedHeader({ alg, kid: 'key-1', typ: 'JWT' }).sign(key);
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

  const tokens = {
    /** A good token; roles and organisation as the claims say. */
    valid: (role: string, organisation = 'Dorset CCG', claims: Claims = {}) =>
      signWith(privateKey, 'RS256', { roles: [role], organisation, ...claims }),
    expired: () => signWith(privateKey, 'RS256', { roles: ['viewer'], organisation: 'Dorset CCG', iat: now() - 3600, exp: now() - 120 }),
    notYetValid: () => signWith(privateKey, 'RS256', { roles: ['viewer'], organisation: 'Dorset CCG', nbf: now() + 600 }),
    wrongAudience: () => signWith(privateKey, 'RS256', { roles: ['viewer'], organisation: 'Dorset CCG', aud: 'api://someone-else' }),
    wrongIssuer: () => signWith(privateKey, 'RS256', { roles: ['viewer'], organisation: 'Dorset CCG', iss: 'https://evil.example/' }),
    /** alg "none": a header, a payload and an empty signature. */
    unsigned: async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(base({ roles: ['admin'], organisation: 'Dorset CCG' }))}.`,
    /** HS256 keyed with the public key: accepted by verifiers that let the token pick the algorithm. */
    hmacWithPublicKey: () => signWith(new TextEncoder().encode(publicPem), 'HS256', { roles: ['admin'], organisation: 'Dorset CCG' }),
    /** Signed by a key the provider never published, under the published key's id. */
    foreignKey: () => signWith(other.privateKey, 'RS256', { roles: ['admin'], organisation: 'Dorset CCG' }),
  };

  const settings: OidcSettings = {
    issuer: ISSUER,
    audience: AUDIENCE,
    jwksUrl,
    algorithms: ['RS256', 'ES256'],
    clockToleranceSeconds: 30,
    claims: { role: 'roles', organisation: 'organisation', name: 'name' },
    roleMap: {
      'Ledger.Viewer': 'viewer',
      'Ledger.Auditor': 'auditor',
      'Ledger.Contributor': 'contributor',
      'Ledger.PlanManager': 'plan-manager',
      'Ledger.Admin': 'admin',
      'Ledger.Metrics': 'metrics',
    },
  };
  return { settings, tokens, fetches: () => fetches, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
};
export type OidcProvider = Awaited<ReturnType<typeof startOidcProvider>>;

/** The role claim values this provider's settings map to each ledger role. */
export const claimFor = {
  viewer: 'Ledger.Viewer',
  auditor: 'Ledger.Auditor',
  contributor: 'Ledger.Contributor',
  'plan-manager': 'Ledger.PlanManager',
  admin: 'Ledger.Admin',
  metrics: 'Ledger.Metrics',
} as const;
