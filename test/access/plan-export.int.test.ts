import { describe, expect, it } from 'vitest';
import { verifyExport } from '../../src/integrity/verify-export.ts';
import { roles } from '../../src/access/roles.ts';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';

const open = useSecuredLedger();

/**
 * Auditors get plan exports over HTTP, as docs/access-control.md promises: the same
 * bundle `ledger export --plan` writes, and every attempt is in the access log.
 */
describe('GET /plans/:planId/export', () => {
  it("gives an auditor the plan's bundle, which verifies offline against the ledger's public key", async () => {
    const ledger = await open();
    await seedDorsetPlan(ledger);
    const events = await ledger.store.count();
    const res = await ledger.call(await ledger.keyFor('auditor'), { method: 'GET', url: '/plans/dorset/export' });
    expect(res.statusCode, res.body).toBe(200);
    const bundle = res.json();
    expect(bundle).toMatchObject({ planId: 'dorset', stream: 'plan-dorset', streamRevision: '3', publicKey: ledger.ledger.publicKey });
    expect(bundle.events).toHaveLength(4);
    expect(verifyExport(bundle, { trustedPublicKeyPem: ledger.ledger.publicKey.pem }).ok).toBe(true);
    // The same bundle the CLI's export builds, bar the time it was made.
    const direct = JSON.parse(JSON.stringify(await ledger.ledger.exportPlan('dorset')));
    expect({ ...bundle, exportedAt: undefined }).toEqual({ ...direct, exportedAt: undefined });
    // An export signs a checkpoint (a row of its own), never an event.
    expect(await ledger.store.count()).toBe(events);
  });

  it('answers 404 plan-not-found for an unknown plan, and 403 to every other role', async () => {
    const ledger = await open();
    await seedDorsetPlan(ledger);
    const missing = await ledger.call(await ledger.keyFor('auditor'), { method: 'GET', url: '/plans/nowhere/export' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(missing.json()).toMatchObject({ code: 'plan-not-found' });
    for (const role of roles.filter((r) => r !== 'auditor')) {
      const refused = await ledger.call(await ledger.keyFor(role), { method: 'GET', url: '/plans/dorset/export' });
      expect(refused.statusCode, role).toBe(403);
      expect(refused.json()).toMatchObject({ code: 'role-not-permitted' });
    }
  });

  it('is recorded in the access log with its plan, allowed or refused, and so is the plan of a proven event', async () => {
    const ledger = await open();
    await seedDorsetPlan(ledger);
    const auditor = await ledger.keyFor('auditor', 'Independent inquiry', 'Inquiry team');
    expect((await ledger.call(auditor, { method: 'GET', url: '/plans/dorset/export' })).statusCode).toBe(200);
    expect((await ledger.call(await ledger.keyFor('viewer'), { method: 'GET', url: '/plans/dorset/export' })).statusCode).toBe(403);
    const eventId = (await ledger.call(auditor, { method: 'GET', url: '/plans/dorset/events' })).json().events[2].eventId as string;
    expect((await ledger.call(auditor, { method: 'GET', url: `/ledger/proofs/inclusion/${eventId}` })).statusCode).toBe(200);

    const log = await ledger.call(auditor, { method: 'GET', url: '/access-log?planId=dorset' });
    expect(log.statusCode, log.body).toBe(200);
    const entries = (
      log.json().entries as { route: string; planId: string; role: string; principalName: string; status: number; path: string }[]
    ).map((e) => [e.route, e.planId, e.role, e.status]);
    expect(entries).toEqual([
      ['/plans/:planId/export', 'dorset', 'auditor', 200],
      ['/plans/:planId/export', 'dorset', 'viewer', 403],
      ['/plans/:planId/events', 'dorset', 'auditor', 200],
      ['/ledger/proofs/inclusion/:eventId', 'dorset', 'auditor', 200],
    ]);
  });
});
