import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { backingOffAfterFailure, KEY_FETCH_BACKOFF_MS, providerUnavailable } from '../../src/access/oidc-key-backoff.ts';
import { AUDIENCE, claimFor, ISSUER, startOidcProvider } from '../support/oidc-provider.ts';

/**
 * The identity provider's key set behind a real HTTP server that drops every connection while `down`, and otherwise
 * passes on what the provider serves, counting the fetches that reached it.
 */
const flakyKeyServer = async (jwksUrl: string) => {
  const state = { down: true, asked: 0, answer: 'drop' as 'drop' | 502 };
  const server = http.createServer((request, response) => {
    state.asked++;
    if (state.down) return state.answer === 'drop' ? request.socket.destroy() : response.writeHead(502).end('Bad Gateway');
    void fetch(jwksUrl)
      .then((answer) => answer.text())
      .then((body) => response.writeHead(200, { 'content-type': 'application/json' }).end(body));
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return { state, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`, close: () => server.close() };
};

describe("the identity provider's keys after a fetch failed", () => {
  const closing: (() => unknown)[] = [];
  afterEach(async () => {
    for (const close of closing.splice(0)) await close();
  });

  it('are not asked for again by every token for a while, then are, and a token verifies once the provider answers', async () => {
    const provider = await startOidcProvider();
    const keyServer = await flakyKeyServer(provider.settings.jwksUrl);
    closing.push(provider.close, keyServer.close);
    let clock = 1_000_000;
    const keys = backingOffAfterFailure(createRemoteJWKSet(new URL(keyServer.url)), () => clock);
    const token = await provider.tokens.valid(claimFor.auditor);
    const verify = () => jwtVerify(token, keys, { issuer: ISSUER, audience: AUDIENCE });

    for (let i = 0; i < 5; i++) {
      const failure = await verify().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(providerUnavailable(failure)).toBe(true);
    }
    expect(keyServer.state.asked).toBe(1);

    clock += KEY_FETCH_BACKOFF_MS;
    keyServer.state.down = false;
    expect((await verify()).payload.roles).toEqual([claimFor.auditor]);
    expect(keyServer.state.asked).toBe(2);
  });
  it('back off from a provider answering 502 as from one that does not answer, and say so as its unavailability', async () => {
    const provider = await startOidcProvider();
    const keyServer = await flakyKeyServer(provider.settings.jwksUrl);
    closing.push(provider.close, keyServer.close);
    keyServer.state.answer = 502;
    const keys = backingOffAfterFailure(createRemoteJWKSet(new URL(keyServer.url)), () => 1_000_000);
    const token = await provider.tokens.valid(claimFor.auditor);
    for (let i = 0; i < 3; i++) {
      const failure = await jwtVerify(token, keys, { issuer: ISSUER, audience: AUDIENCE }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(providerUnavailable(failure)).toBe(true);
    }
    expect(keyServer.state.asked).toBe(1);
  });

  it("are not sent for again by a token naming a cached key's id with another algorithm while the provider is down", async () => {
    const provider = await startOidcProvider();
    const keyServer = await flakyKeyServer(provider.settings.jwksUrl);
    closing.push(provider.close, keyServer.close);
    keyServer.state.down = false;
    // No cooldown after a good fetch: as when the last was more than jose's 30 s ago.
    const keys = backingOffAfterFailure(createRemoteJWKSet(new URL(keyServer.url), { cooldownDuration: 0 }), () => 1_000_000);
    await jwtVerify(await provider.tokens.valid(claimFor.auditor), keys, { issuer: ISSUER, audience: AUDIENCE });
    keyServer.state.down = true;
    const ec = await generateKeyPair('ES256');
    const forged = await new SignJWT({ roles: [claimFor.admin] }).setProtectedHeader({ alg: 'ES256', kid: 'key-1' }).sign(ec.privateKey);
    for (let i = 0; i < 5; i++) await expect(jwtVerify(forged, keys)).rejects.toThrow();
    expect(keyServer.state.asked).toBe(2);
  });
});
