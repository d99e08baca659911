import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

/**
 * A certified OpenID provider (the `oidc-provider` package) run in-process on loopback, to
 * sign people in to the pages with the authorization code flow and PKCE. Two clients: one
 * authenticating with a secret, one with a private-key JWT. The person's claims are what the
 * test says: shaped as CIS2's UserInfo (nhsid_nrbac_roles with ODS codes, selected_roleid) or
 * as Entra ID's (app roles in `roles`). Login is finished at once for the account the test
 * names, so no login page is driven.
 */
export const startSignInProvider = async (redirectUri: string) => {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientKey = await generateKeyPair('RS256', { extractable: true });
  const clientJwk = { ...(await exportJWK(clientKey.publicKey)), kid: 'client-key-1', use: 'sig' };
  const signingKey = await generateKeyPair('RS256', { extractable: true });
  const signingJwk = { ...(await exportJWK(signingKey.privateKey)), kid: 'provider-key-1', alg: 'RS256', use: 'sig' };
  let claims: Record<string, unknown> = {};
  let nextAccount = 'person-1';

  const provider = new Provider(issuer, {
    jwks: { keys: [signingJwk] },
    clients: [
      {
        client_id: 'ledger-web',
        client_secret: 'a-client-secret-long-enough-for-tests',
        redirect_uris: [redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
      {
        client_id: 'ledger-web-jwt',
        redirect_uris: [redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'RS512',
        jwks: { keys: [clientJwk] },
      },
    ],
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name'],
      nationalrbacaccess: ['nhsid_nrbac_roles', 'selected_roleid'],
      roles: ['roles'],
    },
    scopes: ['openid', 'profile', 'nationalrbacaccess', 'roles'],
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub, ...claims }) }),
    pkce: { required: () => true },
    enabledJWA: { clientAuthSigningAlgValues: ['RS512', 'RS256', 'ES256'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // Consent is taken as given: this stands in for an organisation's own provider, where it is.
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope('openid profile nationalrbacaccess roles');
      await grant.save();
      return grant;
    },
    ttl: { Session: 600, Interaction: 600, Grant: 600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600 },
  });
  const callback = provider.callback();
  server.on('request', async (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      try {
        await provider.interactionFinished(req, res, { login: { accountId: nextAccount } }, { mergeWithLastSubmission: false });
      } catch (error) {
        res.writeHead(500).end(String(error));
      }
      return;
    }
    callback(req, res);
  });

  return {
    issuer,
    clientPrivateKeyPem: await exportPKCS8(clientKey.privateKey),
    /** Who signs in next, and what the provider says about them. */
    as(account: string, next: Record<string, unknown>) {
      nextAccount = account;
      claims = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
export type SignInProvider = Awaited<ReturnType<typeof startSignInProvider>>;

/** Follows the provider's redirects as a browser would (keeping its cookies) until it sends the browser back to `redirectUri`. */
export const followToRedirectUri = async (start: string, redirectUri: string): Promise<string> => {
  const cookies = new Map<string, string>();
  let url = start;
  for (let hop = 0; hop < 10; hop++) {
    if (url.startsWith(redirectUri)) return url;
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, ...value] = pair!.split('=');
      cookies.set(name!, value.join('='));
    }
    const location = res.headers.get('location');
    if (!location) throw new Error(`the provider answered ${res.status} at ${url}: ${(await res.text()).slice(0, 300)}`);
    url = new URL(location, url).href;
  }
  throw new Error('too many redirects');
};
