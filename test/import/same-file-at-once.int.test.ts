import { describe, expect, it } from 'vitest';
import { createBatchHandler, type BatchHandler } from '../../src/commands/command-path.ts';
import { importPlan } from '../../src/import/import-plan.ts';
import { formatSummary } from '../../src/import/summary-text.ts';
import { openOrganisationAliases } from '../../src/organisations/organisation-aliases.ts';
import { useSqliteStores } from '../support/sqlite-stores.ts';
import { DEVON, importer, NOW, OPERATOR, seed } from './import-support.ts';

/**
 * Two service instances import one file at the same moment: each has its own store on the one
 * ledger file, and both plan the import against the same (empty) plan. The seam is the import's
 * batch handler: the second instance's runs the first instance's whole import between its own
 * planning and its own append, so the two interleave for real, on one real SQLite ledger.
 */
describe('one file imported by two instances at once', () => {
  const stores = useSqliteStores();

  it('the second import writes nothing, and says the file had already been imported instead of counting facts it did not record', async () => {
    const first = stores.open();
    const second = stores.open();
    const firstImport = importer(first);
    const real = createBatchHandler({ store: second, clock: () => NOW });
    let firstWrote: number | undefined;
    let countAfterFirst: number | undefined;
    const afterTheFirst: BatchHandler = async (planId, items, ctx) => {
      firstWrote = (await firstImport({ fileName: DEVON })).events;
      countAfterFirst = await second.count();
      return real(planId, items, ctx);
    };

    const summary = await importPlan(
      { store: second, batch: afterTheFirst, directory: openOrganisationAliases(undefined), actor: OPERATOR, clock: () => NOW },
      { fileName: DEVON, content: seed(DEVON) },
    );

    expect(firstWrote).toBe(7);
    expect(countAfterFirst).toBe(7);
    expect(await second.count()).toBe(countAfterFirst);
    expect(summary).toMatchObject({ replayed: true, events: 0, dryRun: false, position: '6' });
    expect(Object.values(summary.recorded).every((n) => n === 0)).toBe(true);
    expect(summary.preview.every((row) => row.record !== 'new')).toBe(true);
    // What `ledger import` prints.
    const text = formatSummary(summary);
    expect(text).toMatch(/^Already imported: /);
    expect(text).toContain('events written: 0 (this file had already been imported');
  });

  it('the same file under another plan id is refused as already imported, naming the plan that took it, and writes nothing', async () => {
    const first = stores.open();
    const second = stores.open();
    const real = createBatchHandler({ store: second, clock: () => NOW });
    let countAfterFirst: number | undefined;
    const afterTheFirst: BatchHandler = async (planId, items, ctx) => {
      await importer(first)({ fileName: DEVON, planId: 'devon-2022' });
      countAfterFirst = await second.count();
      return real(planId, items, ctx);
    };

    const refused = await importPlan(
      { store: second, batch: afterTheFirst, directory: openOrganisationAliases(undefined), actor: OPERATOR, clock: () => NOW },
      { fileName: DEVON, content: seed(DEVON), planId: 'devon-investigation' },
    ).catch((error: unknown) => error);

    expect(refused).toMatchObject({ code: 'document-already-imported', status: 409, details: { planId: 'devon-2022' } });
    expect(countAfterFirst).toBe(7);
    expect(await second.count()).toBe(countAfterFirst);
  });

  it('the same bytes sent under another file name plan again and find everything held, instead of failing as a reused key', async () => {
    const first = stores.open();
    const second = stores.open();
    const real = createBatchHandler({ store: second, clock: () => NOW });
    let countAfterFirst: number | undefined;
    let batches = 0;
    const afterTheFirst: BatchHandler = async (planId, items, ctx) => {
      if (batches++ === 0) {
        await importer(first)({ fileName: DEVON });
        countAfterFirst = await second.count();
      }
      return real(planId, items, ctx);
    };

    // Its commands differ from the first's only in the file name of their provenance, so its batch's
    // command id (the file's claim on the plan) was taken by a different request.
    const summary = await importPlan(
      { store: second, batch: afterTheFirst, directory: openOrganisationAliases(undefined), actor: OPERATOR, clock: () => NOW },
      { fileName: 'renamed.txt', content: seed(DEVON), planId: 'recommendation-actions-progress-update-2022' },
    );

    expect(batches).toBe(1);
    expect(countAfterFirst).toBe(7);
    expect(summary).toMatchObject({ replayed: false, events: 0 });
    expect(Object.values(summary.recorded).every((n) => n === 0)).toBe(true);
    expect(await second.count()).toBe(countAfterFirst);
  });
});
