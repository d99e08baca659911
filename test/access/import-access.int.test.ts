import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect } from '../support/collect.ts';
import { seedDorsetPlan, useSecuredLedger, type SecuredLedger } from '../support/access.ts';
import { DORSET, seed } from '../import/import-support.ts';
import { planStream } from '../../events/streams.ts';

/**
 * POST /imports runs many commands at once; each is authorised for the caller exactly as
 * if it had been sent alone, so an import can do no more than its caller could.
 */
const open = useSecuredLedger();
const PLAN = 'dorset-crisis-care-concordat-action-plan';

const importDorset = (ledger: SecuredLedger, credential: string, extra: object = {}, query = '') =>
  ledger.call(credential, {
    method: 'POST',
    url: `/imports${query}`,
    payload: { fileName: DORSET, content: seed(DORSET).toString('utf8'), owner: 'Dorset CCG', ...extra },
  });

const learnedFile = (ledger: SecuredLedger) => path.join(ledger.dataDir, 'organisation-aliases.json');

describe('POST /imports is authorised like the commands it runs', () => {
  it('refuses a contributor (who may not register a plan) with 403, and writes nothing', async () => {
    const ledger = await open();
    const contributor = await ledger.keyFor('contributor', 'Dorset CCG');
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
    const police = await ledger.keyFor('plan-manager', 'Devon and Cornwall Police');
    const refusedNew = await importDorset(ledger, police);
    expect(refusedNew.statusCode).toBe(403);
    expect(refusedNew.json()).toMatchObject({ code: 'not-your-organisation' });
    expect(await ledger.store.count()).toBe(0);

    // The CCG's first version of the plan (up to action 2.2) is in; the outsider's later version of it is refused whole.
    const first = seed(DORSET).toString('utf8').split('\n').slice(0, 117).join('\n');
    expect(
      (await importDorset(ledger, await ledger.keyFor('plan-manager', 'Dorset CCG'), { content: first, planId: PLAN })).statusCode,
    ).toBe(201);
    const before = await ledger.store.count();
    const refusedLater = await importDorset(ledger, police, { planId: PLAN });
    expect(refusedLater.statusCode).toBe(403);
    expect(refusedLater.json()).toMatchObject({ code: 'not-your-organisation' });
    expect(await ledger.store.count()).toBe(before);
  });

  it('lets the owning plan manager import, with the principal as the actor of every event', async () => {
    const ledger = await open();
    const { key, record } = await ledger.access.keys.create({
      name: 'Pat Manager',
      role: 'plan-manager',
      organisation: ledger.organisations.canonical('Dorset CCG'),
      createdBy: 'test',
    });
    const dry = await importDorset(ledger, key, {}, '?dryRun=true');
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, events: 48 });
    expect(await ledger.store.count()).toBe(0);
    const res = await importDorset(ledger, key);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ planId: PLAN, events: 48 });
    const events = await collect(ledger.store.readStream(planStream(PLAN)));
    expect(events).toHaveLength(48);
    const actor = {
      id: `api-key:${record.keyId}`,
      name: 'Pat Manager',
      organisation: 'NHS Dorset Clinical Commissioning Group',
      role: 'plan-manager',
      keyId: record.keyId,
    };
    for (const event of events) expect(event.actor).toEqual(actor);
  });

  it('shares the aliases the operator teaches with access control, the read models and imports at once, without a restart', async () => {
    const ledger = await open();
    const full = 'Anyshire Mental Health Partnership';
    expect(ledger.access.directory.canonical('AMHP')).toBe('AMHP');
    // What `ledger import --aliases` (or an edit of the file) does on the data directory's machine.
    await ledger.organisations.learn([{ name: full, aliases: ['AMHP'] }]);
    // The plan manager's document may now use the alias: it adds nothing to the directory.
    const imported = await ledger.call(await ledger.keyFor('plan-manager', full), {
      method: 'POST',
      url: '/imports',
      payload: anyshire({ organisations: [{ name: full, aliases: ['AMHP'] }] }),
    });
    expect(imported.statusCode, imported.body).toBe(201);
    // Access control: the action led by "AMHP" is the partnership's, so its contributor may update it.
    expect(ledger.access.directory.canonical('AMHP')).toBe(full);
    const update = await ledger.call(await ledger.keyFor('contributor', full), {
      method: 'POST',
      url: '/plans/anyshire/actions/1.1/progress-updates',
      payload: { narrative: 'Line staffed overnight' },
    });
    expect(update.statusCode, update.body).toBe(201);
    // The read models: the partnership's accountability counts the action "AMHP" leads.
    const account = await ledger.call(await ledger.keyFor('viewer'), {
      method: 'GET',
      url: `/organisations/AMHP?minPosition=${update.json().position}`,
    });
    expect(account.statusCode, account.body).toBe(200);
    expect(account.json()).toMatchObject({ organisation: full });
  });
});

const ANYSHIRE = 'Anyshire Mental Health Partnership';
/** A one-action JSON plan owned by `owner`, with the organisation entries given. */
const anyshire = (extra: { owner?: string; planId?: string; organisations?: { name: string; aliases: string[] }[] } = {}) => ({
  fileName: 'anyshire.json',
  content: JSON.stringify({
    format: 'assurance-ledger-plan',
    version: 1,
    plan: {
      planId: extra.planId ?? 'anyshire',
      title: 'Anyshire crisis plan',
      kind: 'other',
      owner: extra.owner ?? ANYSHIRE,
      date: '2024-10',
    },
    actions: [
      {
        ref: '1.1',
        text: 'Crisis line open all hours',
        leadOrganisations: ['AMHP'],
        due: { kind: 'date', date: '2025-03', wording: 'March 2025' },
      },
    ],
    organisations: extra.organisations ?? [],
  }),
});

/**
 * The organisation directory decides which organisation every API key and token acts for,
 * so an import by a principal may not change what any name resolves to: otherwise a plan
 * manager could make their own organisation's name an alias of another and act as it.
 */
describe('POST /imports cannot change which organisation a name means', () => {
  const NAMES = [
    'Evil Trust',
    'Dorset CCG',
    'NHS Dorset Clinical Commissioning Group',
    'Somerset Council',
    'Kent Police',
    'AMHP',
    ANYSHIRE,
  ];
  const meanings = (ledger: SecuredLedger) => NAMES.map((name) => ledger.organisations.canonical(name));
  const learned = (ledger: SecuredLedger) =>
    fs.existsSync(learnedFile(ledger)) ? fs.readFileSync(learnedFile(ledger), 'utf8') : undefined;

  /** Seeds a Dorset CCG plan, then expects each attempt (dry run and real) refused with 403, with no event, alias or meaning changed. */
  const expectRefused = async (ledger: SecuredLedger, credential: string, payload: object) => {
    const before = { events: await ledger.store.count(), meanings: meanings(ledger), file: learned(ledger) };
    for (const query of ['?dryRun=true', '']) {
      const res = await ledger.call(credential, { method: 'POST', url: `/imports${query}`, payload });
      expect(res.statusCode, res.body).toBe(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ code: 'organisation-alias-not-permitted' });
    }
    expect(await ledger.store.count()).toBe(before.events);
    expect(meanings(ledger)).toEqual(before.meanings);
    expect(learned(ledger)).toBe(before.file);
  };

  it("refuses a plan manager's import that would make their organisation's name an alias of another's, and they still cannot act for that one", async () => {
    const ledger = await open();
    await seedDorsetPlan(ledger);
    const attacker = await ledger.keyFor('plan-manager', 'Evil Trust');
    await expectRefused(
      ledger,
      attacker,
      anyshire({
        owner: 'Evil Trust',
        planId: 'evil',
        organisations: [{ name: 'NHS Dorset Clinical Commissioning Group', aliases: ['Evil Trust'] }],
      }),
    );
    const before = await ledger.store.count();
    const withdrawal = await ledger.call(attacker, {
      method: 'POST',
      url: '/plans/dorset/actions/1.3/withdrawal',
      payload: { reason: 'hijacked' },
    });
    expect(withdrawal.statusCode).toBe(403);
    expect(withdrawal.json()).toMatchObject({ code: 'not-your-organisation' });
    expect(await ledger.store.count()).toBe(before);
  });

  it("refuses an import that would make another organisation's name (a key's, or one only a token or a plan uses) an alias of the caller's", async () => {
    const ledger = await open();
    await seedDorsetPlan(ledger);
    await ledger.keyFor('plan-manager', 'Somerset Council');
    const attacker = await ledger.keyFor('plan-manager', 'Evil Trust');
    for (const victim of ['Somerset Council', 'Kent Police', 'Dorset Police', 'Dorset CCG'])
      await expectRefused(
        ledger,
        attacker,
        anyshire({ owner: 'Evil Trust', planId: 'evil', organisations: [{ name: 'Evil Trust', aliases: [victim] }] }),
      );
  });

  it('refuses brand-new aliases of a brand-new organisation, and merging two names the directory already tells apart', async () => {
    const ledger = await open();
    const manager = await ledger.keyFor('plan-manager', ANYSHIRE);
    // "AMHP" means nothing yet, but it may be a token's organisation claim: it is not the importer's to give a meaning.
    await expectRefused(ledger, manager, anyshire({ organisations: [{ name: ANYSHIRE, aliases: ['AMHP'] }] }));
    // Two known organisations are never made one.
    await expectRefused(
      ledger,
      manager,
      anyshire({ organisations: [{ name: ANYSHIRE }, { name: 'Dorset CCG', aliases: ['SWAST'] }].map((o) => ({ aliases: [], ...o })) }),
    );
  });

  it('lets a plan manager import names the directory knows, aliases it already has, and brand-new organisation names, and learns none of them', async () => {
    const ledger = await open();
    const manager = await ledger.keyFor('plan-manager', ANYSHIRE);
    const res = await ledger.call(manager, {
      method: 'POST',
      url: '/imports',
      payload: anyshire({
        organisations: [
          { name: ANYSHIRE, aliases: ['anyshire mental-health partnership'] },
          { name: 'NHS Dorset Clinical Commissioning Group', aliases: ['Dorset CCG'] },
        ],
      }),
    });
    expect(res.statusCode, res.body).toBe(201);
    // Nothing is learned from a principal's document: a new name would still steer how later Led-by cells are split.
    expect(fs.existsSync(learnedFile(ledger))).toBe(false);
    expect(ledger.organisations.canonical('anyshire mental-health partnership')).toBe('anyshire mental-health partnership');
    expect(ledger.organisations.canonical('Dorset CCG')).toBe('NHS Dorset Clinical Commissioning Group');
    expect(ledger.organisations.canonical('AMHP')).toBe('AMHP');
  });
});
