import fs from 'node:fs';
import { z } from 'zod';
import { Role } from './roles.ts';

/**
 * OpenID Connect sign-in for the pages (authorization code with PKCE). Separate from the
 * API's bearer-token settings (LEDGER_OIDC_*): a person signs in through the browser with a
 * client id and credential, where an API client brings its own access token.
 *
 * Profiles say where an identity provider puts roles and organisations:
 * - `cis2`: NHS Care Identity Service 2. Roles are in UserInfo's `nhsid_nrbac_roles` (one entry
 *   per role the person holds, each with `org_code`, an ODS code, and `role_code`/`role_name`);
 *   `selected_roleid` names the one they chose at sign-in. Needs the `nationalrbacaccess` scope.
 * - `entra`: Microsoft Entra ID. App roles in the ID token's `roles` claim (or group ids in
 *   `groups`, with LEDGER_WEB_OIDC_ROLE_CLAIM=groups); the organisation is the tenant's, set by
 *   LEDGER_WEB_OIDC_ORGANISATION, or read from LEDGER_WEB_OIDC_ORGANISATION_CLAIM.
 * - `generic`: `roles` and `organisation` claims from the ID token or UserInfo.
 */
export type OidcProfile = 'cis2' | 'entra' | 'generic';

const isLoopback = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
const SecureUrl = z.url().refine((u) => {
  const url = new URL(u);
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url));
}, 'must be https (http only on localhost)');

const RoleMap = z
  .string()
  .transform((s, ctx) => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object such as {"S8000:G8000:R8000":"plan-manager"}' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string().min(1), Role));

export const WebOidcEnv = z.object({
  LEDGER_WEB_OIDC_ISSUER: SecureUrl.optional(),
  LEDGER_WEB_OIDC_CLIENT_ID: z.string().min(1).optional(),
  LEDGER_WEB_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** A PKCS#8 PEM private key: the client authenticates with a signed JWT (private_key_jwt), as CIS2 requires. */
  LEDGER_WEB_OIDC_CLIENT_PRIVATE_KEY_FILE: z.string().min(1).optional(),
  LEDGER_WEB_OIDC_CLIENT_KEY_ID: z.string().min(1).optional(),
  LEDGER_WEB_OIDC_REDIRECT_URI: SecureUrl.refine(
    (u) => new URL(u).pathname === '/web/sign-in/callback',
    'must end in /web/sign-in/callback',
  ).optional(),
  LEDGER_WEB_OIDC_PROFILE: z.enum(['cis2', 'entra', 'generic']).default('generic'),
  LEDGER_WEB_OIDC_SCOPES: z.string().min(1).optional(),
  LEDGER_WEB_OIDC_ROLE_MAP: RoleMap.optional(),
  LEDGER_WEB_OIDC_ROLE_CLAIM: z.string().min(1).optional(),
  LEDGER_WEB_OIDC_ORGANISATION_CLAIM: z.string().min(1).optional(),
  LEDGER_WEB_OIDC_ORGANISATION: z.string().min(1).optional(),
  LEDGER_WEB_OIDC_LABEL: z.string().min(1).max(80).optional(),
});

export interface WebOidcSettings {
  issuer: string;
  clientId: string;
  credential: { kind: 'secret'; secret: string } | { kind: 'private-key-jwt'; privateKeyPem: string; keyId?: string | undefined };
  redirectUri: string;
  profile: OidcProfile;
  scopes: string;
  /** Claim value (a CIS2 role code or name, an Entra app role or group id) → ledger role. */
  roleMap: Record<string, Role>;
  roleClaim: string;
  organisationClaim: string | undefined;
  /** Every person signing in acts for this organisation (a single-tenant Entra directory). */
  organisation: string | undefined;
  label: string;
}

const labels: Record<OidcProfile, string> = {
  cis2: 'NHS Care Identity Service 2',
  entra: 'Microsoft Entra ID',
  generic: "your organisation's account",
};
const identityRoleMap = Object.fromEntries(Role.options.map((r) => [r, r])) as Record<string, Role>;

/** Off unless issuer, client id and redirect URI are all set; then exactly one client credential. */
export const toWebOidcSettings = (e: z.infer<typeof WebOidcEnv>): WebOidcSettings | undefined => {
  const required = [e.LEDGER_WEB_OIDC_ISSUER, e.LEDGER_WEB_OIDC_CLIENT_ID, e.LEDGER_WEB_OIDC_REDIRECT_URI];
  const given = required.filter((v) => v !== undefined).length;
  if (given === 0) return undefined;
  if (given !== 3)
    throw new Error('LEDGER_WEB_OIDC_ISSUER, LEDGER_WEB_OIDC_CLIENT_ID and LEDGER_WEB_OIDC_REDIRECT_URI must be set together');
  if ((e.LEDGER_WEB_OIDC_CLIENT_SECRET === undefined) === (e.LEDGER_WEB_OIDC_CLIENT_PRIVATE_KEY_FILE === undefined))
    throw new Error('set exactly one of LEDGER_WEB_OIDC_CLIENT_SECRET and LEDGER_WEB_OIDC_CLIENT_PRIVATE_KEY_FILE');
  const profile = e.LEDGER_WEB_OIDC_PROFILE;
  return {
    issuer: e.LEDGER_WEB_OIDC_ISSUER!,
    clientId: e.LEDGER_WEB_OIDC_CLIENT_ID!,
    credential:
      e.LEDGER_WEB_OIDC_CLIENT_SECRET !== undefined
        ? { kind: 'secret', secret: e.LEDGER_WEB_OIDC_CLIENT_SECRET }
        : {
            kind: 'private-key-jwt',
            privateKeyPem: fs.readFileSync(e.LEDGER_WEB_OIDC_CLIENT_PRIVATE_KEY_FILE!, 'utf8'),
            keyId: e.LEDGER_WEB_OIDC_CLIENT_KEY_ID,
          },
    redirectUri: e.LEDGER_WEB_OIDC_REDIRECT_URI!,
    profile,
    scopes: e.LEDGER_WEB_OIDC_SCOPES ?? (profile === 'cis2' ? 'openid profile nationalrbacaccess' : 'openid profile'),
    roleMap: e.LEDGER_WEB_OIDC_ROLE_MAP ?? identityRoleMap,
    roleClaim: e.LEDGER_WEB_OIDC_ROLE_CLAIM ?? (profile === 'cis2' ? 'nhsid_nrbac_roles' : 'roles'),
    organisationClaim: e.LEDGER_WEB_OIDC_ORGANISATION_CLAIM ?? (profile === 'generic' ? 'organisation' : undefined),
    organisation: e.LEDGER_WEB_OIDC_ORGANISATION,
    label: e.LEDGER_WEB_OIDC_LABEL ?? labels[profile],
  };
};
