import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { backingOffAfterFailure, KEY_FETCH_BACKOFF_MS, providerUnavailable } from '../../src/access/oidc-key-backoff.ts';
import { AUDIENCE, claimFor, ISSUER, startOidcProvider } from '../support/oidc-provider.ts';

/**
 * The identity provider's key set behind a real HTTP server that drops every connection while `down`, and otherwise
 * passes on what the provider serves, counting the fetches that reached it.
 */
const flakyKeyServer = async (jwksUrl: string) => {
  const state = { down: true, asked: 0 };
  const server = http.createServer((request, response) => {
    state.asked++;
    if (state.down) return request.socket.destroy();
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
});
