import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planStream } from '../../src/commands/plan-stream.ts';
import { collect } from '../support/collect.ts';
import { useSecuredLedger, type SecuredLedger } from '../support/access.ts';
import { DORSET, seed } from '../import/import-support.ts';

/**
 * POST /imports runs many commands at once; each is authorised for the caller exactly as
 * if it had been sent alone, so an import can do no more than its caller could.
 */
const open = useSecuredLedger();
const PLAN = 'dorset-crisis-care-concordat-action-plan';

const importDorset = (ledger: SecuredLedger, credential: string, extra: object = {}, query = '') =>
  ledger.call(credential, { method: 'POST', url: `/imports${query}`, payload: { fileName: DORSET, content: seed(DORSET).toString('utf8'), owner: 'Dorset CCG', ...extra } });

const learnedFile = (ledger: SecuredLedger) => path.join(ledger.dataDir, 'organisation-aliases.json');

describe('POST /imports is authorised like the commands it runs', () => {
  it('refuses a contributor (who may not register a plan) with 403, and writes nothing', async () => {
    const ledger = await open();
    const contributor = ledger.keyFor('contributor', 'Dorset CCG');
    const res = await importDorset(ledger, contributor);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'role-not-permitted' });
    // A dry run answers as the real import would: refused, not a summary of what they cannot do.
    expect((await importDorset(ledger, contributor, {}, '?dryRun=true')).statusCode).toBe(403);
    expect(await ledger.store.count()).toBe(0);
    // Not even the organisations the document names are learned from a refused import.
    expect(fs.existsSync(learnedFile(ledger))).toBe(false);
  });

  it("refuses another organisation's plan manager: neither a plan they would not own, nor more of a plan they are not named on", async () => {
    const ledger = await open();
    const police = ledger.keyFor('plan-manager', 'Devon and Cornwall Police');
    const refusedNew = await importDorset(ledger, police);
    expect(refusedNew.statusCode).toBe(403);
    expect(refusedNew.json()).toMatchObject({ code: 'not-your-organisation' });
    expect(await ledger.store.count()).toBe(0);

    // The CCG's first version of the plan is in; the outsider's later version of it is refused whole.
    const first = seed(DORSET).toString('utf8').split('\n').slice(0, 120).join('\n');
    expect((await importDorset(ledger, ledger.keyFor('plan-manager', 'Dorset CCG'), { content: first, planId: PLAN })).statusCode).toBe(201);
    const before = await ledger.store.count();
    const refusedLater = await importDorset(ledger, police, { planId: PLAN });
    expect(refusedLater.statusCode).toBe(403);
    expect(refusedLater.json()).toMatchObject({ code: 'not-your-organisation' });
    expect(await ledger.store.count()).toBe(before);
  });

  it('lets the owning plan manager import, with the principal as the actor of every event', async () => {
    const ledger = await open();
    const { key, record } = ledger.access.keys.create({ name: 'Pat Manager', role: 'plan-manager', organisation: ledger.organisations.canonical('Dorset CCG'), createdBy: 'test' });
    const dry = await importDorset(ledger, key, {}, '?dryRun=true');
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, events: 48 });
    expect(await ledger.store.count()).toBe(0);
    const res = await importDorset(ledger, key);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ planId: PLAN, events: 48 });
    const events = await collect(ledger.store.readStream(planStream(PLAN)));
    expect(events).toHaveLength(48);
    const actor = { id: `api-key:${record.keyId}`, name: 'Pat Manager', organisation: 'NHS Dorset Clinical Commissioning Group', role: 'plan-manager', keyId: record.keyId };
    for (const event of events) expect(event.actor).toEqual(actor);
  });

  it('shares what an import learns with access control and the read models at once, without a restart', async () => {
    const ledger = await open();
    const full = 'Anyshire Mental Health Partnership';
    expect(ledger.access.directory.canonical('AMHP')).toBe('AMHP');
    const plan = {
      format: 'assurance-ledger-plan', version: 1,
      plan: { planId: 'anyshire', title: 'Anyshire crisis plan', kind: 'other', owner: full, date: '2024-10' },
      actions: [{ ref: '1.1', text: 'Crisis line open all hours', leadOrganisations: ['AMHP'], due: { kind: 'date', date: '2025-03', wording: 'March 2025' } }],
      organisations: [{ name: full, aliases: ['AMHP'] }],
    };
    const imported = await ledger.call(ledger.keyFor('plan-manager', full), { method: 'POST', url: '/imports', payload: { fileName: 'anyshire.json', content: JSON.stringify(plan) } });
    expect(imported.statusCode, imported.body).toBe(201);
    // Access control: the action led by "AMHP" is now the partnership's, so its contributor may update it.
    expect(ledger.access.directory.canonical('AMHP')).toBe(full);
    const update = await ledger.call(ledger.keyFor('contributor', full), { method: 'POST', url: '/plans/anyshire/actions/1.1/progress-updates', payload: { narrative: 'Line staffed overnight' } });
    expect(update.statusCode, update.body).toBe(201);
    // The read models: the partnership's accountability counts the action "AMHP" leads.
    const account = await ledger.call(ledger.keyFor('viewer'), { method: 'GET', url: `/organisations/AMHP?minPosition=${update.json().position}` });
    expect(account.statusCode, account.body).toBe(200);
    expect(account.json()).toMatchObject({ organisation: full });
  });
});
