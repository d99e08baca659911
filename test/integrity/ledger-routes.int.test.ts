import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app/http/app.ts';
import { EMPTY_ROOT, fromHex, verifyConsistency, verifyInclusion } from '../../src/integrity/merkle.ts';
import { expectProblem } from '../http/app-harness.ts';
import { collect } from '../support/collect.ts';
import { openLedgerIntegrity } from '../support/sqlite-integrity.ts';
import { openAsAttacker, seedPlans, useLedger } from './ledger-fixture.ts';

const OPERATOR = { id: 'op-1', name: 'Test Operator', organisation: 'Test Trust', role: 'operator' };

describe('ledger integrity routes', () => {
  const ctx = useLedger();
  let app: FastifyInstance;
  beforeEach(async () => {
    app = await buildApp({ store: ctx.store, operator: OPERATOR, ledger: ctx.ledger });
  });
  afterEach(() => app.close());
  const get = (url: string) => app.inject({ method: 'GET', url });

  it('serves the public key, signs on demand (201, then 200 while the ledger has not grown) and lists checkpoints', async () => {
    expect((await get('/ledger/public-key')).json()).toEqual({ keyId: ctx.key.keyId, pem: ctx.key.publicKeyPem, algorithm: 'Ed25519' });
    expectProblem(await app.inject({ method: 'POST', url: '/ledger/checkpoints' }), 409, 'ledger-empty');
    expectProblem(await get('/ledger/checkpoints/latest'), 404, 'no-checkpoint');
    expect((await get('/ledger/verify')).json()).toMatchObject({
      ok: true,
      eventsChecked: 0,
      checkpointsChecked: 0,
      rootHash: EMPTY_ROOT.toString('hex'),
    });
    await seedPlans(ctx.store, 4);
    const signed = await app.inject({ method: 'POST', url: '/ledger/checkpoints' });
    expect(signed.statusCode).toBe(201);
    expect(signed.json()).toMatchObject({ treeSize: 12, keyId: ctx.key.keyId });
    expect((await app.inject({ method: 'POST', url: '/ledger/checkpoints' })).statusCode).toBe(200);
    expect((await get('/ledger/checkpoints/latest')).json()).toEqual(signed.json());
    // It takes no parameters, and says so of one it does not know, as every other read does.
    expectProblem(await get('/ledger/checkpoints/latest?treeSize=4'), 400, 'validation-failed');
    expect((await get('/ledger/checkpoints')).json()).toEqual({ checkpoints: [signed.json()], next: null });
    expect(await ctx.store.count()).toBe(12);
  });

  it('refuses a parameter or a body on POST /ledger/checkpoints, signing nothing: it signs the whole ledger as it stands', async () => {
    await seedPlans(ctx.store, 4);
    expectProblem(await app.inject({ method: 'POST', url: '/ledger/checkpoints?treeSize=4' }), 400, 'validation-failed');
    const withBody = await app.inject({ method: 'POST', url: '/ledger/checkpoints', payload: { treeSize: 4 } });
    expectProblem(withBody, 400, 'validation-failed');
    expect(withBody.json()).toMatchObject({ errors: [{ location: 'body' }] });
    expectProblem(await get('/ledger/checkpoints/latest'), 404, 'no-checkpoint');
    expect(await ctx.store.count()).toBe(12);
    expect((await app.inject({ method: 'POST', url: '/ledger/checkpoints' })).statusCode).toBe(201);
  });

  it('serves the public key as a PEM file too, the same key, for verify-export --public-key', async () => {
    const pem = await get('/ledger/public-key.pem');
    expect(pem.statusCode).toBe(200);
    expect(pem.headers['content-type']).toMatch(/^application\/x-pem-file/);
    expect(pem.headers['content-disposition']).toBe('attachment; filename="ledger-public-key.pem"');
    expect(pem.body).toBe(ctx.key.publicKeyPem);
    expect(pem.body).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n?$/);
  });

  it('gives inclusion proofs that verify against the signed root, and consistency proofs between checkpoints', async () => {
    await seedPlans(ctx.store, 4);
    const first = (await app.inject({ method: 'POST', url: '/ledger/checkpoints' })).json() as { rootHash: string };
    await seedPlans(ctx.store, 4, 'more');
    const second = (await app.inject({ method: 'POST', url: '/ledger/checkpoints' })).json() as { rootHash: string; treeSize: number };
    expect(second.treeSize).toBe(24);
    const [event] = await collect(ctx.store.readAll({ fromPosition: 5n, limit: 1 }));
    const answer = (await get(`/ledger/proofs/inclusion/${event!.eventId}`)).json() as {
      leafIndex: number;
      treeSize: number;
      eventHash: string;
      proof: string[];
      rootHash: string;
      checkpoint: unknown;
    };
    expect(answer).toMatchObject({ leafIndex: 5, treeSize: 24, rootHash: second.rootHash, eventHash: event!.hash, checkpoint: second });
    expect(
      verifyInclusion({
        leafIndex: 5,
        treeSize: 24,
        eventHash: fromHex(answer.eventHash),
        proof: answer.proof.map(fromHex),
        root: fromHex(second.rootHash),
      }),
    ).toBe(true);
    const atTwelve = (await get(`/ledger/proofs/inclusion/${event!.eventId}?treeSize=12`)).json() as { rootHash: string };
    expect(atTwelve.rootHash).toBe(first.rootHash);

    const consistency = (await get('/ledger/proofs/consistency?from=12&to=24')).json() as {
      fromRoot: string;
      toRoot: string;
      proof: string[];
    };
    expect(consistency).toMatchObject({ fromRoot: first.rootHash, toRoot: second.rootHash });
    expect(
      verifyConsistency({
        firstSize: 12,
        secondSize: 24,
        firstRoot: fromHex(first.rootHash),
        secondRoot: fromHex(second.rootHash),
        proof: consistency.proof.map(fromHex),
      }),
    ).toBe(true);

    expect((await get('/ledger/verify')).json()).toMatchObject({ ok: true, eventsChecked: 24, checkpointsChecked: 2 });
  });

  it('refuses bad proof requests with problem+json naming the parameter, and writes nothing', async () => {
    await seedPlans(ctx.store, 2);
    const [event] = await collect(ctx.store.readAll({ fromPosition: 4n, limit: 1 }));
    expectProblem(await get('/ledger/proofs/inclusion/00000000-0000-7000-8000-000000000000'), 404, 'event-not-found');
    const tooBig = expectProblem(await get(`/ledger/proofs/inclusion/${event!.eventId}?treeSize=7`), 400, 'invalid-proof-request');
    expect(tooBig['errors']).toEqual([{ location: 'querystring.treeSize', message: expect.stringContaining('larger than') }]);
    const before = expectProblem(await get(`/ledger/proofs/inclusion/${event!.eventId}?treeSize=4`), 400, 'invalid-proof-request');
    expect(before['errors']).toEqual([{ location: 'querystring.treeSize', message: expect.stringContaining('position 4') }]);
    const backwards = expectProblem(await get('/ledger/proofs/consistency?from=5&to=3'), 400, 'invalid-proof-request');
    expect(backwards['errors']).toEqual([{ location: 'querystring.from', message: expect.any(String) }]);
    const beyond = expectProblem(await get('/ledger/proofs/consistency?from=2&to=9'), 400, 'invalid-proof-request');
    expect(beyond['errors']).toEqual([{ location: 'querystring.to', message: expect.any(String) }]);
    expectProblem(await get('/ledger/proofs/consistency?from=0&to=3'), 400, 'validation-failed');
    expectProblem(await get('/ledger/proofs/consistency?from=1&to=3&extra=1'), 400, 'validation-failed');
    expectProblem(await get(`/ledger/proofs/inclusion/${event!.eventId}?treeSize=abc`), 400, 'validation-failed');
    // Sizes and cursors are whole numbers in digits, each given once.
    for (const query of [
      'proofs/consistency?from=1&to=0x5',
      'proofs/consistency?from=1e0&to=3',
      'checkpoints?after=1e3',
      'checkpoints?limit=1&limit=2',
    ])
      expectProblem(await get(`/ledger/${query}`), 400, 'validation-failed');
    expect(await ctx.store.count()).toBe(6);
  });

  it('refuses to sign (409 checkpoint-refused) a ledger cut short with its checkpoints deleted, writes nothing, and verify names it', async () => {
    await seedPlans(ctx.store, 4);
    expect((await app.inject({ method: 'POST', url: '/ledger/checkpoints' })).statusCode).toBe(201);
    const db = openAsAttacker(ctx.file);
    db.exec('DELETE FROM events WHERE position >= 9; DELETE FROM checkpoints; DELETE FROM merkle_nodes');
    db.close();
    // A restarted service over the tampered file.
    await app.close();
    await ctx.ledger.close();
    ctx.ledger = openLedgerIntegrity({ file: ctx.file, key: ctx.key, events: ctx.store });
    app = await buildApp({ store: ctx.store, operator: OPERATOR, ledger: ctx.ledger });

    const refused = await app.inject({ method: 'POST', url: '/ledger/checkpoints' });
    expectProblem(refused, 409, 'checkpoint-refused');
    expect(refused.json<{ detail: string }>().detail).toMatch(/covers 12 events but the ledger holds only 9/);
    expect(await ctx.ledger.checkpoints.all()).toEqual([]);
    expect(await ctx.store.count()).toBe(9);
    expect((await get('/ledger/verify')).json()).toMatchObject({
      ok: false,
      keptCheckpoints: [{ treeSize: 12 }],
      failure: { kind: 'kept-checkpoint-beyond-ledger', expected: '12', found: '9' },
    });
  });
});
