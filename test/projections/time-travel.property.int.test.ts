import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Clocks } from '../../projections/clocks/clocks.ts';
import { openReadModels, readModelsFile, type ReadModels } from '../../projections/read-models.ts';
import { changesView, planView, plansPage, timelineEntries, timelineView, type ViewDeps } from '../../projections/views/plan-views.ts';
import { evolveTimeline, initialTimeline } from '../../projections/timeline/timeline.ts';
import { WHOLE_REPORT } from '../../projections/plan-status/findings-page.ts';
import { deadlinesView, discrepanciesView, organisationsPage, organisationView } from '../../projections/views/report-views.ts';
import { endOfLondonDay, londonDay } from '../../src/domain/calendar.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { sqliteWorkerReads } from '../../src/store/sqlite/worker-reader.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { PLANS, START, longHistory, randomHistory, recordHistory, type Step } from './random-histories.ts';
import { referenceReader } from './reference-reader.ts';
import { daysAroundDateCorrections, edgeClocks } from './time-travel-clocks.ts';
import { ReadRequestError } from '../../projections/clocks/read-request-error.ts';

/** Whether the clocks are refused, checking that the read models and the reference refuse them alike. */
const refusedAlike = (readModels: ReadModels, reference: ViewDeps, clocks: Clocks): boolean => {
  const refusal = (check: () => unknown) => {
    try {
      check();
      return undefined;
    } catch (error) {
      if (!(error instanceof ReadRequestError)) throw error;
      return error.code;
    }
  };
  const refused = refusal(() => readModels.reader.check(clocks));
  expect(refused, JSON.stringify(clocks)).toBe(refusal(() => reference.reader.check(clocks)));
  return refused !== undefined;
};

const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
/** A view's answer, or the refusal it gave (a code), so a refusal must match too. */
const answer = async (view: () => Promise<unknown>) => {
  try {
    return plain(await view());
  } catch (error) {
    if (error instanceof DomainError) return { refused: error.code };
    throw error;
  }
};

/** The plans of every page of the plan list at the clocks, following `next` from the first page. */
const everyPage = async (deps: ViewDeps, clocks: Clocks, limit: number) => {
  const listed: string[] = [];
  let after: string | undefined;
  for (let pages = 0; pages <= PLANS.length; pages++) {
    const page = await plansPage(deps, clocks, { after, limit }, 0n);
    listed.push(...page.plans.map((p) => p.planId));
    if (page.next === null) return listed;
    after = page.next;
  }
  throw new Error(`more pages than plans at ${JSON.stringify(clocks)}`);
};

/**
 * A plan's timeline at the clocks by its definition, apart from timeline-at.ts: every entry but a
 * correction's is the fold of the facts that count there; a correction's (corrections count at
 * every business date) is as the fold of every fact recorded by the asOf shows it, naming what it
 * corrects and the dates it moved, with the leads the counting facts give the action it names
 * (at that point of the fold), even where what it corrects does not count. There is none before
 * the plan's registration counts.
 */
const timelineByDefinition = async ({ reader, directory }: ViewDeps, clocks: Clocks, planId: string) => {
  const canonical = (name: string) => directory.canonical(name);
  const recorded = initialTimeline();
  for await (const fact of reader.planFacts(planId, { asOf: clocks.asOf })) evolveTimeline(recorded, fact, canonical);
  const counting = initialTimeline();
  const leadsOfCorrection = new Map<string, string[]>();
  for await (const fact of reader.planFacts(planId, clocks)) {
    if (fact.type === 'EntryCorrected') {
      const about = recorded.entries.find((e) => e.eventId === fact.eventId)!.about;
      const leads = about.kind === 'action' && about.ref !== null ? (counting.leads.get(about.ref) ?? []) : [];
      leadsOfCorrection.set(fact.eventId, [...new Set(leads.map(canonical))]);
    }
    evolveTimeline(counting, fact, canonical);
  }
  // Until its registration counts there is no plan, as its view says, though corrections count at every date.
  if (!counting.entries.some((e) => e.type === 'PlanRegistered')) return { refused: 'plan-not-found' };
  return plain(
    counting.entries.map((entry) =>
      entry.type === 'EntryCorrected'
        ? { ...recorded.entries.find((e) => e.eventId === entry.eventId)!, organisations: leadsOfCorrection.get(entry.eventId) }
        : entry,
    ),
  );
};

/**
 * Every view at the clocks, from each of the read models (by name) and from the reference fold: they must be the same. The
 * reference answers each view once, and every read model is compared with that answer.
 */
const compareViews = async (readModels: Readonly<Record<string, ReadModels>>, reference: ViewDeps, clocks: Clocks) => {
  const each = Object.entries(readModels).map(([name, r]) => [name, { reader: r.reader, directory: r.directory }] as const);
  // A difference names the read models that gave it (live, rebuilt or behind) as well as the clocks.
  const same = async (expected: unknown, view: (deps: ViewDeps) => Promise<unknown>, what: string) => {
    for (const [name, deps] of each) expect(await answer(() => view(deps)), `${name}: ${what}`).toEqual(expected);
  };
  const both = async (view: (deps: ViewDeps) => Promise<unknown>) =>
    same(await answer(() => view(reference)), view, JSON.stringify(clocks));
  await both((d) => plansPage(d, clocks, {}, 0n).then(({ position: _, ...rest }) => rest));
  await both((d) => plansPage(d, clocks, { after: 'plan-a', limit: 1 }, 0n).then(({ position: _, ...rest }) => rest));
  // Every page in turn, as a client follows `next`: a page that ended early would lose the plans after it.
  for (const limit of [1, 2]) await both((d) => everyPage(d, clocks, limit));
  await both((d) => organisationsPage(d, clocks, {}));
  // The home page's figures over every plan.
  await both((d) => d.reader.everyPlan('planTotals', clocks, { today: d.reader.today(clocks) }, d.directory));
  await both((d) => organisationView(d, clocks, 'SWAST', WHOLE_REPORT));
  await both((d) => organisationView(d, clocks, 'Dorset CCG', {}));
  await both((d) => organisationView(d, clocks, 'Dorset CCG', { after: 'plan-a', limit: 1 }));
  await both((d) => discrepanciesView(d, clocks, WHOLE_REPORT));
  await both((d) => discrepanciesView(d, clocks, { after: 'plan-a', limit: 1 }));
  await both((d) => deadlinesView(d, clocks, {}, {}));
  await both((d) => deadlinesView(d, clocks, { from: '2014-01', to: '2019-12' }, WHOLE_REPORT));
  await both((d) => deadlinesView(d, clocks, { from: '2014-01', to: '2019-12' }, { limit: 1 }));
  for (const planId of PLANS) {
    await both((d) => planView(d, clocks, planId));
    // One plan's lines at the clocks, as the pages read a plan at many clocks (the progress chart).
    await both(async (d) => (await d.reader.planLinesAt(planId, clocks)) ?? { notListed: planId });
    await both((d) => timelineView(d, clocks, planId, null, { order: 'effective' }));
    await both((d) => timelineView(d, clocks, planId, '1.1', { order: 'recorded' }));
    await same(
      await timelineByDefinition(reference, clocks, planId),
      (d) => timelineEntries(d, clocks, planId),
      `timeline ${JSON.stringify(clocks)}`,
    );
  }
};

/** The most blocks any plan's history holds on either clock, in the read store of a data dir. */
const mostBlocks = (dataDir: string) => {
  const db = new Database(readModelsFile(dataDir), { readonly: true });
  try {
    const most = (table: string) =>
      db.prepare<[], number>(`SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM ${table} GROUP BY plan)`).pluck().get()!;
    return { ledger: most('ledger_line_blocks'), business: most('business_line_blocks') };
  } finally {
    db.close();
  }
};

/**
 * Every view at random pairs of clocks, over histories drawn from `histories`, against a from-scratch fold of the events
 * those clocks select: live, after a rebuild (in two workers, or on one thread; its reads of every plan split with a read
 * worker) and from read models left behind. `spanBlocks` checks that some plan's
 * history runs into a second block on each clock, so the histories reach what they are drawn for.
 */
const everyViewMatchesTheFold = (
  histories: fc.Arbitrary<Step[]>,
  numRuns: number,
  { spanBlocks = false, parallel }: { spanBlocks?: boolean; parallel: boolean },
) =>
  fc.assert(
    fc.asyncProperty(
      histories,
      fc.array(
        fc.tuple(
          fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
          fc.option(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), fc.boolean()), { nil: undefined }),
        ),
        { minLength: 4, maxLength: 8 },
      ),
      fc.boolean(),
      fc.nat(),
      // Without corrections of business dates, one plan at an effectiveOn is read from a prefix of its stream and the later
      // records that count (business-clock-doc.ts); with them, from its whole stream.
      fc.boolean(),
      async (history, clockPairs, asDays, edgePick, correctDates) => {
        const dir = makeTempDir('ledger-time-travel-');
        const store = openSqliteEventStore({ file: dir.file('ledger.db') });
        const clock = () => new Date(end);
        let end = START;
        // Small chunks: documents, history and checkpoints are written, and marked parts settled, many times in one history;
        // one marked plan settled per write, so a flush that marks several writes them over several transactions.
        const live = openReadModels({ store, dataDir: dir.path, clock, runner: { chunkEvents: 5, settlePlansPerWrite: 1 } });
        // A parallel fold that fails goes on on one thread and says so here: the property would then hold of that path alone.
        const rebuildErrors: unknown[] = [];
        const rebuilt = openReadModels({
          store,
          workerReads: sqliteWorkerReads(store.file),
          dataDir: dir.file('rebuilt'),
          clock,
          runner: {
            chunkEvents: 9,
            rebuildWorkers: 2,
            parallelFromEvents: parallel ? 0 : undefined,
            settlePlansPerWrite: 1,
            onError: (error) => void rebuildErrors.push(error),
          },
          onReadWorkerError: (error) => void rebuildErrors.push(error),
          // Snapshots every few events, so one plan at either clock is folded on from one.
          snapshotEvery: 3,
          // Every read of every plan at a clock split, one plan a chunk, the first plan's alone on this thread: a read
          // worker reads the others (every-plan/split-read.ts), and the property holds of the answers merged.
          readWorkers: 1,
          split: { fromPlans: 1, chunkPlans: 1, mainChunks: 1 },
        });
        // Read models that stopped halfway: every asOf after that is past what they have applied.
        const behind = openReadModels({ store, dataDir: dir.file('behind'), clock, runner: { chunkEvents: 5 }, snapshotEvery: 3 });
        try {
          await live.runner.start();
          end = await recordHistory(store, history, correctDates, async () => {
            await behind.runner.start();
            expect(await behind.runner.waitFor((await store.headPosition()) ?? -1n, 10_000)).toBe(true);
            await behind.runner.stop();
          });
          expect(await live.runner.waitFor((await store.headPosition()) ?? -1n, 10_000)).toBe(true);
          await rebuilt.runner.rebuild();
          expect(rebuildErrors).toEqual([]);
          const chunksReadBefore = rebuilt.viewPool!.chunksRead();
          if (spanBlocks) {
            const most = mostBlocks(dir.path);
            expect(most.ledger, 'ledger blocks of the longest plan').toBeGreaterThan(1);
            expect(most.business, 'business blocks of the longest plan').toBeGreaterThan(1);
          }
          const reference: ViewDeps = { reader: referenceReader(store, clock), directory: live.directory };
          // Business dates over the recording (where most facts took effect), or from before the plans; ledger times over the recording.
          const EARLIEST = (wide: boolean) => (wide ? Date.parse('2014-01-01T00:00:00.000Z') : START - 90 * 86_400_000);
          for (const [fraction, business] of [[undefined, undefined], ...clockPairs] as const) {
            const instant = fraction === undefined ? undefined : new Date(START + fraction * (end - START)).toISOString();
            const asOf = instant && asDays ? endOfLondonDay(londonDay(instant)) : instant;
            const from = business && EARLIEST(business[2]);
            const day = business && londonDay(new Date(from! + business[0] * (end - from!)));
            const effectiveOn = business && (business[1] ? day!.slice(0, 7) : day);
            const clocks = { asOf, effectiveOn };
            // An effectiveOn after the asOf day, or after today: refused alike by both, and nothing more to compare.
            if (refusedAlike(live, reference, clocks)) continue;
            // Without an asOf a view reads what its read models have applied: only an asOf names a point they must reach.
            await compareViews(asOf === undefined ? { live, rebuilt } : { live, rebuilt, behind }, reference, clocks);
          }
          for (const clocks of await edgeClocks(store, edgePick)) {
            if (refusedAlike(live, reference, clocks)) continue;
            await compareViews(clocks.asOf === undefined ? { live, rebuilt } : { live, rebuilt, behind }, reference, clocks);
          }
          for (const effectiveOn of await daysAroundDateCorrections(store)) {
            await compareViews({ live, rebuilt }, reference, { effectiveOn });
          }
          // The rebuilt read models' reads of every plan at a clock were split: the worker read its chunks of them.
          expect(rebuilt.viewPool!.chunksRead()).toBeGreaterThan(chunksReadBefore);
          expect(rebuildErrors).toEqual([]);
          // The last instant: past what the read models left behind have applied, whenever the second half recorded anything.
          const last = new Date(end).toISOString();
          await compareViews({ behind }, reference, { asOf: last });
          // Nothing recorded after the last instant: every plan at both clocks is read from the business-time history.
          await compareViews({ behind, live }, reference, { asOf: last, effectiveOn: '2019-06' });
          await compareViews({ live }, reference, { effectiveOn: '2019-06' });
          await compareViews({ live }, reference, { effectiveOn: '2019-06-15' });
          await compareViews({ live }, reference, {});
          for (const planId of PLANS) {
            const both = async (query: Parameters<typeof changesView>[2]) =>
              expect(await answer(() => changesView({ reader: live.reader, directory: live.directory }, planId, query))).toEqual(
                await answer(() => changesView(reference, planId, query)),
              );
            await both({ clock: 'effective', from: '2016-01', to: '2020-06-30' });
            await both({
              clock: 'recorded',
              from: new Date(START).toISOString(),
              to: new Date(end).toISOString(),
              effectiveOn: '2018-01',
            });
          }
        } finally {
          await live.close();
          await rebuilt.close();
          await behind.close();
          await store.close();
          dir.remove();
        }
      },
    ),
    // A failure is reported as found: shrinking a history of commands through real files would outlast the timeout.
    {
      numRuns,
      endOnFailure: true,
      // To replay a reported failure: PROPERTY_SEED and PROPERTY_PATH as fast-check printed them.
      ...(process.env.PROPERTY_SEED ? { seed: Number(process.env.PROPERTY_SEED), path: process.env.PROPERTY_PATH } : {}),
    },
  );

describe('time travel over random histories (real command handler, real SQLite files)', () => {
  // A rebuild of a history this small folds on one thread unless told otherwise: one test folds it in two workers, as a
  // large ledger's rebuild does, the other on the one thread, so every run checks both (each worker starts in about a
  // second on a busy machine, so each takes half the runs).
  const runs = Math.max(1, Math.round(Number(process.env.PROPERTY_RUNS ?? 20) / 2));

  it('every view at random pairs of clocks equals a from-scratch fold of the events those clocks select, live, after a rebuild in two workers and from read models left behind', async () => {
    await everyViewMatchesTheFold(randomHistory, runs, { parallel: true });
  }, 300_000);

  it('so does every view after a rebuild on one thread', async () => {
    await everyViewMatchesTheFold(randomHistory, runs, { parallel: false });
  }, 300_000);

  it('so does every view over plans whose histories run from one block into the next on both clocks', async () => {
    await everyViewMatchesTheFold(longHistory, Number(process.env.PROPERTY_LONG_RUNS ?? 1), { spanBlocks: true, parallel: true });
  }, 300_000);
});
