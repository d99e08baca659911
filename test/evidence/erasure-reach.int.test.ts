import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger, type SecuredLedger } from '../support/access.ts';
import * as sample from './sample-files.ts';

const open = useSecuredLedger();

/** A plan of Dorset Police's own, with one action it leads: somewhere a plan manager of another organisation may attach and erase. */
const policePlan = async (ledger: SecuredLedger) => {
  const manager = await ledger.keyFor('plan-manager', 'Dorset Police');
  for (const [url, payload] of [
    ['/plans', { planId: 'police', title: 'Police plan', kind: 'other', owner: 'Dorset Police', effectiveOn: '2016-01' }],
    [
      '/plans/police/actions',
      {
        ref: '1',
        text: 'Do it',
        leadOrganisations: ['Dorset Police'],
        due: { kind: 'ongoing', wording: 'Ongoing' },
        effectiveOn: '2016-01',
      },
    ],
  ] as const) {
    const res = await ledger.call(manager, { method: 'POST', url, payload });
    if (res.statusCode !== 201) throw new Error(`${url}: ${res.body}`);
  }
  return manager;
};

const attach = async (ledger: SecuredLedger, key: string, url: string, content: Buffer) => {
  const body = await sample.multipart({ content, name: 'letter.txt', type: 'text/plain' });
  const res = await ledger.call(key, { method: 'POST', url, payload: body.payload, headers: body.headers });
  expect(res.statusCode, res.body).toBe(201);
  // The erasure reads which plans hold the content from the read models: let them catch up with the upload.
  await ledger.readModels.runner.waitFor(BigInt(res.json().position), 5000);
  return res.json().file.sha256 as string;
};

const erase = (ledger: SecuredLedger, key: string, planId: string, sha256: string) =>
  ledger.call(key, { method: 'POST', url: `/plans/${planId}/evidence-files/${sha256}/erasure`, payload: { reason: 'Names a patient' } });

const download = async (ledger: SecuredLedger, key: string, planId: string, sha256: string) =>
  (await ledger.call(key, { method: 'GET', url: `/plans/${planId}/evidence-files/${sha256}` })).statusCode;

describe("erasing evidence held by another owner's plan", () => {
  it("refuses a plan manager who attached a copy of another organisation's file to their own plan to erase it, and writes nothing", async () => {
    const ledger = await open();
    const { manager } = await seedDorsetPlan(ledger);
    const content = Buffer.from('Letter to the board about action 1.3\n');
    const sha256 = await attach(ledger, manager, '/plans/dorset/actions/1.3/evidence-files', content);
    // Every reader may download it; a plan manager of another organisation attaches the same bytes to a plan it owns.
    const police = await policePlan(ledger);
    expect(await download(ledger, police, 'dorset', sha256)).toBe(200);
    await attach(ledger, police, '/plans/police/actions/1/evidence-files', content);
    const before = await ledger.store.count();

    const refused = await erase(ledger, police, 'police', sha256);
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.json()).toMatchObject({
      code: 'evidence-held-by-another-owner',
      detail: expect.stringContaining('plan dorset (owned by NHS Dorset Clinical Commissioning Group)'),
    });
    expect(await ledger.store.count()).toBe(before);
    expect(await download(ledger, manager, 'dorset', sha256)).toBe(200);
  });

  it('lets the owner of the plan that attached the content first erase it everywhere, and one owner erase what only its own plans hold', async () => {
    const ledger = await open();
    const { manager } = await seedDorsetPlan(ledger);
    await seedDorsetPlan(ledger, 'dorset-2');
    const police = await policePlan(ledger);

    // Dorset CCG attached it first: a copy another organisation attached later does not stop its erasure.
    const letter = Buffer.from('A letter naming a patient\n');
    const first = await attach(ledger, manager, '/plans/dorset/actions/1.3/evidence-files', letter);
    await attach(ledger, police, '/plans/police/actions/1/evidence-files', letter);
    expect((await erase(ledger, manager, 'dorset', first)).statusCode).toBe(201);
    expect(await download(ledger, police, 'police', first)).toBe(410);

    // Held by two plans of one owner: erased through the later one.
    const photo = Buffer.from('A photograph of a ward\n');
    const sha256 = await attach(ledger, manager, '/plans/dorset/actions/1.3/evidence-files', photo);
    await attach(ledger, manager, '/plans/dorset-2/actions/1.3/evidence-files', photo);
    expect((await erase(ledger, manager, 'dorset-2', sha256)).statusCode).toBe(201);
    expect(await download(ledger, manager, 'dorset', sha256)).toBe(410);
  });
});

describe('erasing evidence whose content is already erased', () => {
  it('lets the later plan record its own erasure, rather than 403 asking the first plan to erase what it erased', async () => {
    const ledger = await open();
    const { manager } = await seedDorsetPlan(ledger);
    const police = await policePlan(ledger);
    const letter = Buffer.from('Another letter naming a patient\n');
    const sha256 = await attach(ledger, manager, '/plans/dorset/actions/1.3/evidence-files', letter);
    await attach(ledger, police, '/plans/police/actions/1/evidence-files', letter);
    const erased = await erase(ledger, manager, 'dorset', sha256);
    expect(erased.statusCode, erased.body).toBe(201);
    await ledger.readModels.runner.waitFor(BigInt(erased.json().position), 5000);

    // The content is gone from every plan: this erasure takes nothing from Dorset's plan. Before the reach rule it was 201.
    const again = await erase(ledger, police, 'police', sha256);
    expect(again.statusCode, again.body).toBe(201);
    expect((await erase(ledger, police, 'police', sha256)).json()).toMatchObject({ code: 'evidence-already-erased' });
  });

  it('replays an erasure by its Idempotency-Key after another plan holding the content changed owner', async () => {
    const ledger = await open();
    const { manager } = await seedDorsetPlan(ledger);
    await seedDorsetPlan(ledger, 'dorset-2');
    const photo = Buffer.from('Another photograph of a ward\n');
    const sha256 = await attach(ledger, manager, '/plans/dorset/actions/1.3/evidence-files', photo);
    await attach(ledger, manager, '/plans/dorset-2/actions/1.3/evidence-files', photo);
    const request = {
      method: 'POST' as const,
      url: `/plans/dorset-2/evidence-files/${sha256}/erasure`,
      payload: { reason: 'Names a patient' },
      headers: { 'idempotency-key': 'erase-photo-1' },
    };
    const first = await ledger.call(manager, request);
    expect(first.statusCode, first.body).toBe(201);
    const handed = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/owner-changes',
      payload: { to: 'Dorset Police', reason: 'Merged', effectiveOn: '2016-02' },
    });
    expect(handed.statusCode, handed.body).toBe(201);
    await ledger.readModels.runner.waitFor(BigInt(handed.json().position), 5000);

    // The response was lost; the client retries with the same key, as requests.md tells it to.
    const retried = await ledger.call(manager, request);
    expect(retried.statusCode, retried.body).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBe('true');
    expect(retried.json().position).toBe(first.json().position);
  });
});
