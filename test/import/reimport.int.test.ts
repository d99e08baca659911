import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importPlan } from '../../src/import/import-plan.ts';
import { openOrganisationAliases } from '../../src/organisations/organisation-aliases.ts';
import { toCsv, toJson } from '../../src/import/csv-export.ts';
import { exportPlan } from '../../src/import/export-plan.ts';
import { readLedgerPlan } from '../../src/import/ledger-plan.ts';
import { useSqliteStores } from '../support/sqlite-stores.ts';
import { comparableFacts, DEVON, DORSET, importer, NOW, ofType, OPERATOR, planEvents, seed } from './import-support.ts';
import { createBatchHandler, createCommandHandler } from '../../src/commands/command-path.ts';

const DORSET_ID = 'dorset-crisis-care-concordat-action-plan';

/** The Dorset plan as its next version might read: one new dated update, one revised timescale, one more COMPLETE. */
const laterVersion = () =>
  seed(DORSET)
    .toString('utf8')
    .replace(
      'implementation to commence incrementally thereafter.\n',
      'implementation to commence incrementally thereafter.\n\nJAN 2018 Implementation has started in the east of the county.\n',
    )
    .replace('\tOctober 2017\n', '\tOctober 2017\n\nRevised to June 2018\n')
    .replace('pursue their ambition and aspirations.\n', 'pursue their ambition and aspirations.\nCOMPLETE\n');

describe('importing a plan the ledger already holds', () => {
  const stores = useSqliteStores();

  it('writes nothing when the same file is imported again', async () => {
    const store = stores.open();
    const run = importer(store);
    await run({ fileName: DORSET });
    const before = await store.count();
    const again = await run({ fileName: DORSET });
    expect(again.events).toBe(0);
    expect(Object.values(again.recorded).every((n) => n === 0)).toBe(true);
    expect(await store.count()).toBe(before);
  });

  it('writes nothing when a CSV whose updates on one action moved from Red to Amber to Green is imported again', async () => {
    const store = stores.open();
    const csv = [
      'type,ref,about,text,timescale,leads,date,rag',
      'plan,northshire,,Northshire plan,,Northshire CCG,2017-01,',
      'action,1.1,,Audit discharge letters,December 2017,Northshire CCG,2017-01,',
      'update,1.1,action,Audit not started yet.,,,2017-02,Red',
      'update,1.1,action,Audit half done.,,,2017-06,Amber',
      'update,1.1,action,Audit complete; report to board.,,,2017-09,Green',
      '',
    ].join('\n');
    const run = importer(store);
    await run({ fileName: 'plan.csv', content: Buffer.from(csv), planId: 'northshire' });
    const before = await store.count();
    const again = await run({ fileName: 'plan.csv', content: Buffer.from(csv), planId: 'northshire' });
    expect(again.events).toBe(0);
    expect(await store.count()).toBe(before);
  });

  it('writes nothing when a CSV listing its updates newest first is imported again: its rating now is its latest', async () => {
    const store = stores.open();
    const csv = [
      'type,ref,about,text,timescale,leads,date,rag',
      'plan,northshire,,Northshire plan,,Northshire CCG,2017-09,',
      'action,1.1,,Audit discharge letters,December 2017,Northshire CCG,2017-01,',
      'update,1.1,action,Audit complete; report to board.,,,2017-09,Green',
      'update,1.1,action,Audit half done.,,,2017-06,Amber',
      'update,1.1,action,Audit not started yet.,,,2017-02,Red',
      '',
    ].join('\n');
    const run = importer(store);
    await run({ fileName: 'plan.csv', content: Buffer.from(csv), planId: 'northshire' });
    const before = await store.count();
    const again = await run({ fileName: 'plan.csv', content: Buffer.from(csv), planId: 'northshire' });
    expect(again.events).toBe(0);
    expect(await store.count()).toBe(before);
  });

  it('records only what a later version adds: a new update, a revised deadline and a completion', async () => {
    const store = stores.open();
    const run = importer(store);
    await run({ fileName: DORSET });
    const before = (await planEvents(store, DORSET_ID)).length;
    const summary = await run({ fileName: 'dorset-concordat-2018.txt', planId: DORSET_ID, content: laterVersion() });
    expect(summary.recorded).toMatchObject({
      plans: 0,
      sections: 0,
      actions: 0,
      updates: 1,
      revisions: 1,
      completions: 1,
      subsumptions: 0,
    });
    // Its title comes from the new file's name; the ledger keeps the plan's and says so.
    expect(summary.warnings).toContainEqual(
      expect.objectContaining({ code: 'plan-details-differ', message: expect.stringContaining('title') }),
    );
    const added = (await planEvents(store, DORSET_ID)).slice(before);
    expect(added.map((e) => e.type)).toEqual(['DeadlineRevised', 'ProgressUpdateRecorded', 'ActionCompleted']);
    expect(added[0]!.data).toMatchObject({ ref: '2.4', from: { date: '2017-10' }, to: { date: '2018-06' } });
    expect(added[1]!.data).toMatchObject({ target: { ref: '1.1' }, narrative: 'Implementation has started in the east of the county.' });
    expect(added[1]!.effectiveOn).toEqual({ date: '2018-01', precision: 'month' });
    expect(added[2]!.data).toMatchObject({ ref: '4.1', completedOn: '2018-01' });
    expect(added.every((e) => e.provenance.source === 'import' && e.provenance.file === 'dorset-concordat-2018.txt')).toBe(true);
    // And importing that later version again writes nothing more.
    expect((await run({ fileName: 'dorset-concordat-2018.txt', planId: DORSET_ID, content: laterVersion() })).events).toBe(0);
  });

  it("stops an older version imported after a later one, which would put an action's deadline back, until its warnings are accepted", async () => {
    const store = stores.open();
    const run = importer(store);
    await run({ fileName: DORSET });
    await run({ fileName: 'dorset-concordat-2018.txt', planId: DORSET_ID, content: laterVersion() });
    const before = await store.count();

    const preview = await run({ fileName: DORSET, dryRun: true });
    expect(preview.warnings).toContainEqual(
      expect.objectContaining({
        code: 'older-than-ledger',
        blocking: true,
        message: expect.stringMatching(/^action 2\.4: the ledger revised its deadline as of 2018-01, after 2017-\d\d/),
      }),
    );
    await expect(run({ fileName: DORSET })).rejects.toMatchObject({ code: 'import-has-blocking-warnings', status: 422 });
    expect(await store.count()).toBe(before);

    // Accepted, it is what the user asked for: the deadline the older version gives, dated as that version is.
    const accepted = await run({ fileName: DORSET, acceptWarnings: true });
    expect(accepted.recorded.revisions).toBe(1);
    expect((await planEvents(store, DORSET_ID)).at(-1)!.data).toMatchObject({ ref: '2.4', to: { date: '2017-10' } });
  });

  it('writes nothing on a dry run, and says what it would record', async () => {
    const store = stores.open();
    const summary = await importer(store)({ fileName: DORSET, dryRun: true });
    expect(summary.recorded.actions).toBe(14);
    expect(summary.events).toBe(48);
    expect(await store.count()).toBe(0);
  });
});

describe('round trip through the structured format', () => {
  const stores = useSqliteStores();

  for (const [file, planId] of [
    [DORSET, DORSET_ID],
    [DEVON, 'recommendation-actions-progress-update-2022'],
  ] as const)
    for (const format of ['csv', 'json'] as const)
      it(`${file} → ${format} → an empty ledger gives the same plan`, async () => {
        const first = stores.open({}, 'first.db');
        await importer(first)({ fileName: file });
        const exported = exportPlan((await readLedgerPlan(first, planId)).facts);
        const text = format === 'csv' ? toCsv(exported) : toJson(exported);

        const second = stores.open({}, 'second.db');
        const summary = await importer(second)({ fileName: `export.${format}`, content: text });
        expect(summary.warnings).toEqual([]);
        expect(await comparableFacts(second, planId)).toEqual(await comparableFacts(first, planId));
        expect(ofType(await planEvents(second, planId), 'ActionAgreed').length).toBe(
          ofType(await planEvents(first, planId), 'ActionAgreed').length,
        );
      });

  it('writes each fact as its corrections leave it, its words and its business date', async () => {
    const first = stores.open({}, 'first.db');
    await importer(first)({ fileName: DORSET });
    const events = await planEvents(first, DORSET_ID);
    const agreement = ofType(events, 'ActionAgreed')[0]!;
    const update = ofType(events, 'ProgressUpdateRecorded')[0]!;
    const handle = createCommandHandler({ store: first, clock: () => NOW });
    const correct = (data: Record<string, unknown>, n: number) =>
      handle(
        DORSET_ID,
        { type: 'CorrectEntry', data: { changes: {}, reason: 'Typed wrong', ...data } as never },
        { actor: OPERATOR, commandId: `correct-${n}`, correlationId: 'export', provenance: { source: 'api' } },
      );
    await correct({ correctedEventId: agreement.eventId, changes: { text: 'Mapping services, as corrected' } }, 1);
    await correct({ correctedEventId: update.eventId, correctedEffectiveOn: '2017-09' }, 2);

    const exported = exportPlan((await readLedgerPlan(first, DORSET_ID)).facts);
    const ref = (agreement.data as { ref: string }).ref;
    expect(exported.actions.find((a) => a.ref === ref)!.text).toBe('Mapping services, as corrected');
    const narrative = (update.data as { narrative: string }).narrative;
    expect(exported.updates.find((u) => u.narrative === narrative)!.effectiveOn).toBe('2017-09');
  });
});

describe('the templates in docs/templates', () => {
  const stores = useSqliteStores();
  for (const file of ['plan-template.csv', 'plan-template.json'])
    it(`${file} imports cleanly`, async () => {
      const store = stores.open();
      const content = fs.readFileSync(new URL(`../../docs/templates/${file}`, import.meta.url));
      const summary = await importer(store)({ fileName: file, content });
      expect(summary.warnings).toEqual([]);
      expect(summary.recorded).toMatchObject({
        plans: 1,
        sections: 2,
        recommendations: 1,
        actions: 2,
        updates: 3,
        revisions: 1,
        completions: 1,
        links: 1,
      });
    });
});

describe('an import racing another writer on the same plan', () => {
  const stores = useSqliteStores();

  it('plans again against what the other writer recorded, instead of failing or duplicating', async () => {
    const store = stores.open();
    await importer(store)({ fileName: DORSET });
    const real = createBatchHandler({ store, clock: () => NOW });
    const handle = createCommandHandler({ store, clock: () => NOW });
    let calls = 0;
    // Between the import's read and its write, someone records an update through the API.
    const racing: typeof real = async (planId, items, ctx) => {
      if (calls++ === 0)
        await handle(
          planId,
          { type: 'RecordProgressUpdate', data: { target: { kind: 'action', ref: '4.2' }, narrative: 'Typed in meanwhile.', metrics: [] } },
          { actor: OPERATOR, commandId: 'racer', correlationId: 'racer', provenance: { source: 'api' }, effectiveOn: '2018-01' },
        );
      return real(planId, items, ctx);
    };
    const before = (await planEvents(store, DORSET_ID)).length;
    const summary = await importPlan(
      { store, batch: racing, directory: openOrganisationAliases(undefined), actor: OPERATOR, clock: () => NOW },
      { fileName: 'dorset-concordat-2018.txt', planId: DORSET_ID, content: laterVersion() },
    );
    expect(calls).toBe(2);
    expect(summary.events).toBe(3);
    const added = (await planEvents(store, DORSET_ID)).slice(before);
    expect(added.map((e) => e.type)).toEqual(['ProgressUpdateRecorded', 'DeadlineRevised', 'ProgressUpdateRecorded', 'ActionCompleted']);
  });
});
