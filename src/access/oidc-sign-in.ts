import { createPrivateKey } from 'node:crypto';
import { importPKCS8 } from 'jose';
import * as client from 'openid-client';
import type { OrganisationDirectory } from '../organisations/organisation-directory.ts';
import type { WebOidcSettings } from './oidc-sign-in-config.ts';
import type { Principal } from './principal.ts';
import { claimedPrincipal, type ClaimsOutcome } from './oidc-claims.ts';

/** What must survive the trip to the identity provider and back: checked on return, then thrown away. */
export interface SignInTransaction {
  state: string;
  nonce: string;
  codeVerifier: string;
  next: string;
}

export type SignInOutcome = ClaimsOutcome | { ok: false; code: 'sign-in-failed'; detail: string };

/**
 * Sign-in through an OpenID provider with the authorization code flow and PKCE, by
 * openid-client: endpoints from discovery, the client authenticated with its secret or a
 * private-key JWT, the ID token checked (issuer, audience, nonce, signature), and UserInfo
 * read where the profile's roles live there (CIS2). Discovery is done on first use and
 * kept; a failed discovery is tried again on the next sign-in.
 */
export const createOidcSignIn = (settings: WebOidcSettings, directory: Pick<OrganisationDirectory, 'canonical'>) => {
  let discovered: Promise<client.Configuration> | undefined;
  const clientAuth = async (): Promise<client.ClientAuth> => {
    const credential = settings.credential;
    if (credential.kind === 'secret') return client.ClientSecretPost(credential.secret);
    // CIS2 asks for RS512 client assertions; an EC key signs with ES256.
    const alg = createPrivateKey(credential.privateKeyPem).asymmetricKeyType === 'ec' ? 'ES256' : 'RS512';
    const key = await importPKCS8(credential.privateKeyPem, alg);
    return client.PrivateKeyJwt(credential.keyId ? { key, kid: credential.keyId } : key);
  };
  const configuration = () => {
    const issuer = new URL(settings.issuer);
    discovered ??= clientAuth()
      .then((auth) =>
        client.discovery(
          issuer,
          settings.clientId,
          undefined,
          auth,
          issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : undefined,
        ),
      )
      .catch((error: unknown) => {
        discovered = undefined;
        throw error;
      });
    return discovered;
  };

  return {
    label: settings.label,
    profile: settings.profile,
    /** Where to send the browser, and what to remember until it comes back. */
    async start(next: string): Promise<{ url: string; transaction: SignInTransaction }> {
      const config = await configuration();
      const codeVerifier = client.randomPKCECodeVerifier();
      const transaction = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier, next };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUri,
        scope: settings.scopes,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state: transaction.state,
        nonce: transaction.nonce,
      });
      return { url: url.href, transaction };
    },
    /** The provider's answer at the redirect URI: exchanged for tokens, checked, and mapped to a principal. */
    async finish(query: string, transaction: SignInTransaction): Promise<SignInOutcome> {
      const config = await configuration();
      const currentUrl = new URL(settings.redirectUri);
      currentUrl.search = query;
      let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
      try {
        tokens = await client.authorizationCodeGrant(config, currentUrl, {
          pkceCodeVerifier: transaction.codeVerifier,
          expectedState: transaction.state,
          expectedNonce: transaction.nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        return { ok: false, code: 'sign-in-failed', detail: (error as Error).message };
      }
      const idClaims = tokens.claims()!;
      // CIS2 gives roles only in UserInfo; for the others it adds what the ID token left out.
      const userInfo =
        settings.profile === 'cis2' || config.serverMetadata().userinfo_endpoint
          ? await client.fetchUserInfo(config, tokens.access_token, idClaims.sub)
          : {};
      return claimedPrincipal(settings, { ...idClaims, ...userInfo } as Record<string, unknown>, idClaims.iss, directory);
    },
  };
};
export type OidcSignIn = ReturnType<typeof createOidcSignIn>;
export type { Principal };
