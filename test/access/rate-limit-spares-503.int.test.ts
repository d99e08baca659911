import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { StoreUnavailable, type EventStore } from '../../src/store/port.ts';
import { useSecuredLedger } from '../support/access.ts';
import { claimFor, startOidcProvider } from '../support/oidc-provider.ts';

const open = useSecuredLedger();
const BUDGET = { rateLimit: { max: 3, windowMs: 60_000 } };

describe('a request the service answers 503 spends none of its caller’s rate limit', () => {
  it('refused while the instance starts: once it serves, the whole budget is left, then spent as before', async () => {
    let starting: string | undefined = 'folding the ledger into its views';
    const ledger = await open(BUDGET, { starting: () => starting });
    const reader = await ledger.keyFor('auditor');
    const before = await ledger.store.count();
    for (let i = 0; i < 5; i++) {
      const refused = await ledger.call(reader, { method: 'GET', url: '/plans' });
      expect(refused.statusCode).toBe(503);
      expect(refused.json().code).toBe('starting');
      // The refusal says the budget is untouched, as the next answer will.
      expect(refused.headers['x-ratelimit-remaining']).toBe('3');
      // A probe told the instance is not ready yet is given back too.
      const probe = await ledger.call(undefined, { method: 'GET', url: '/ready' });
      expect([probe.statusCode, probe.json().code, probe.headers['x-ratelimit-remaining']]).toEqual([503, 'starting', '3']);
    }
    expect(await ledger.store.count()).toBe(before);
    starting = undefined;
    const served = [];
    for (let i = 0; i < 4; i++) served.push(await ledger.call(reader, { method: 'GET', url: '/plans' }));
    expect(served.map((r) => r.statusCode)).toEqual([200, 200, 200, 429]);
    expect(served.map((r) => r.headers['x-ratelimit-remaining'])).toEqual(['2', '1', '0', '0']);
    expect(await ledger.store.count()).toBe(before);
  });

  it('when the store does not answer: a write retried after Retry-After is not refused 429, and nothing was written', async () => {
    let down = true;
    const ledger = await open(BUDGET, {
      wrapStore: (store) =>
        Object.assign(Object.create(store) as EventStore, {
          append: async (request: Parameters<EventStore['append']>[0]) => {
            if (down) throw new StoreUnavailable('the ledger store did not answer');
            return store.append(request);
          },
        }),
    });
    const manager = await ledger.keyFor('plan-manager', 'Dorset CCG');
    const register = (planId: string) =>
      ledger.call(manager, {
        method: 'POST',
        url: '/plans',
        headers: { 'idempotency-key': `register-${planId}` },
        payload: { planId, title: `Plan ${planId}`, kind: 'other', owner: 'Dorset CCG' },
      });
    const before = await ledger.store.count();
    for (let i = 0; i < 4; i++) {
      const refused = await register('first');
      expect(refused.statusCode).toBe(503);
      expect(refused.json().code).toBe('store-unavailable');
      expect(await ledger.store.count()).toBe(before);
    }
    down = false;
    const answers = [await register('first'), await register('second'), await register('third'), await register('fourth')];
    expect(answers.map((r) => r.statusCode)).toEqual([201, 201, 201, 429]);
    expect(answers[3]!.json().code).toBe('rate-limited');
    expect(await ledger.store.count()).toBe(before + 3);
  });

  it('still counts a 503 its caller can bring about at a cost: a token while the identity provider is down', async () => {
    const provider = await startOidcProvider();
    // An identity provider that is down: each token makes the service ask for its key set, and every connection is dropped.
    const down = http.createServer((request) => request.socket.destroy());
    await new Promise<void>((listening) => down.listen(0, '127.0.0.1', listening));
    try {
      const jwksUrl = `http://127.0.0.1:${(down.address() as AddressInfo).port}/jwks`;
      const ledger = await open({ ...BUDGET, oidc: { ...provider.settings, jwksUrl } });
      const token = await provider.tokens.valid(claimFor.auditor, 'Dorset CCG');
      const before = await ledger.store.count();
      const statuses = [];
      for (let i = 0; i < 6; i++) statuses.push((await ledger.call(token, { method: 'GET', url: '/plans' })).statusCode);
      expect(statuses).toEqual([503, 503, 503, 429, 429, 429]);
      expect(await ledger.store.count()).toBe(before);
    } finally {
      down.close();
      await provider.close();
    }
  });

  it('still counts what access control refuses: guessing keys costs the address its budget', async () => {
    const ledger = await open(BUDGET);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await ledger.call('al_not-a-key', { method: 'GET', url: '/plans' })).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});
