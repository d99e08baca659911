import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clocks } from '../../projections/clocks/clocks.ts';
import { WHOLE_REPORT } from '../../projections/plan-status/findings-page.ts';
import { openReadModels, type ReadModels } from '../../projections/read-models.ts';
import { plansPage, type ViewDeps } from '../../projections/views/plan-views.ts';
import { deadlinesView, discrepanciesView, organisationView, organisationsPage } from '../../projections/views/report-views.ts';
import { createCommandHandler } from '../../src/commands/command-path.ts';
import type { PlanCommand } from '../../src/domain/plan/commands.ts';
import { openSqliteEventStore, type SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { planIdsPageByPage } from './plan-list-walk.ts';
import { referenceReader } from './reference-reader.ts';

/**
 * A plan id may be any text. The read store keeps plans in code point order, and JavaScript's
 * `<` orders UTF-16 units: the two differ where a character above U+FFFF (an emoji) meets one
 * from U+E000 to U+FFFF (a fullwidth letter). The lists and reports must walk, merge and page
 * plans in one order whichever way each plan is read: from the history, or folded on its own
 * (a plan with events after the asOf, at both clocks).
 */
const FULLWIDTH = 'p-\uFF21'; // before the emoji by code point, after it by UTF-16 unit
const EMOJI = 'p-\u{1F600}';
const PLAIN = 'p-a';

const actor = { id: 'u1', name: 'Sam Auditor', organisation: 'Dorset CCG', role: 'operator' };
const dir = makeTempDir('ledger-plan-id-order-');
let store: SqliteEventStore;
let live: ReadModels;
/** Read models stopped before the last plan was registered: every read at a later asOf folds the plans recorded since. */
let behind: ReadModels;
let reference: ViewDeps;
let now = Date.parse('2026-02-10T12:00:00.000Z');
const clock = () => new Date(now);
let asOf = '';
let handle: ReturnType<typeof createCommandHandler>;
let n = 0;

const run = async (planId: string, command: PlanCommand, effectiveOn?: string) => {
  now += 60_000;
  await handle(planId, command, { actor, commandId: `c${n++}`, correlationId: 'order', provenance: { source: 'api' }, effectiveOn });
};
const caughtUp = async () => expect(await live.runner.waitFor((await store.headPosition()) ?? -1n, 10_000)).toBe(true);

/** A plan with one overdue action led by SWAST, reported green: a finding in every report. */
const planWithFinding = async (planId: string) => {
  await run(
    planId,
    { type: 'RegisterPlan', data: { planId, title: planId, kind: 'other', owner: 'Dorset CCG', ragLegend: [] } },
    '2025-06',
  );
  await run(
    planId,
    {
      type: 'AgreeAction',
      data: {
        ref: '1.1',
        text: 'Street triage',
        recommendationRefs: [],
        leadOrganisations: ['SWAST'],
        partnerOrganisations: [],
        intendedOutcomes: [],
        due: { kind: 'date', date: '2025-09' },
        relatedActionRefs: [],
      },
    },
    '2025-07',
  );
  await run(
    planId,
    {
      type: 'RecordProgressUpdate',
      data: { target: { kind: 'action', ref: '1.1' }, narrative: 'On track', reportedRag: { rating: 'Green' }, metrics: [] },
    },
    '2025-10',
  );
};

beforeAll(async () => {
  store = openSqliteEventStore({ file: dir.file('ledger.db') });
  handle = createCommandHandler({ store, clock });
  live = openReadModels({ store, dataDir: dir.path, clock, runner: { chunkEvents: 5 } });
  await live.runner.start();
  reference = { reader: referenceReader(store, clock), directory: live.directory };
  await planWithFinding(EMOJI);
  await planWithFinding(PLAIN);
  await caughtUp();
  behind = openReadModels({ store, dataDir: dir.file('behind'), clock, runner: { chunkEvents: 5 } });
  await behind.runner.start();
  expect(await behind.runner.waitFor((await store.headPosition()) ?? -1n, 10_000)).toBe(true);
  await behind.runner.stop();
  // Read once, so the live lines are kept and the plan registered next joins them in order.
  await live.reader.planLines();
  await planWithFinding(FULLWIDTH);
  now += 3_600_000;
  asOf = new Date(now).toISOString();
  now += 3_600_000;
  // After the asOf: at both clocks this plan is folded on its own and merged into the history's walk.
  await run(EMOJI, { type: 'AddSection', data: { sectionRef: '1', title: 'Later' } });
  await caughtUp();
});

afterAll(async () => {
  await live.close();
  await behind.close();
  await store.close();
  dir.remove();
});

const clocksToRead = (): Clocks[] => [{}, { asOf }, { effectiveOn: '2026-01' }, { asOf, effectiveOn: '2026-01' }];

/** Every plan id listed by following `next` from the start, a page of `limit` at a time. */
const walk = (deps: ViewDeps, clocks: Clocks, limit: number) => planIdsPageByPage(deps, clocks, limit);

const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe('plan ids that code point order and UTF-16 order sort differently', () => {
  it('are each listed once, in the order the reference fold lists them, following the plan list page by page at every clock', async () => {
    const deps = { reader: live.reader, directory: live.directory };
    for (const clocks of clocksToRead()) {
      const whole = await walk(reference, clocks, 10);
      expect(whole, JSON.stringify(clocks)).toEqual([PLAIN, FULLWIDTH, EMOJI]);
      for (const limit of [1, 2, 3]) expect(await walk(deps, clocks, limit), JSON.stringify({ clocks, limit })).toEqual(whole);
    }
  });

  it('give the plan list the reference fold gives from any cursor, from read models that have not applied the latest events', async () => {
    const deps = { reader: behind.reader, directory: behind.directory };
    const latest = new Date(now).toISOString();
    const page = (d: ViewDeps, clocks: Clocks, after: string | undefined, limit: number) =>
      plansPage(d, clocks, { after, limit }, 0n).then(({ position: _, ...rest }) => plain(rest));
    for (const clocks of [{ asOf }, { asOf: latest }, { asOf: latest, effectiveOn: '2026-01' }])
      for (const after of [undefined, PLAIN, FULLWIDTH])
        for (const limit of [1, 3]) {
          const label = JSON.stringify({ clocks, after, limit });
          expect(await page(deps, clocks, after, limit), label).toEqual(await page(reference, clocks, after, limit));
          expect(await planIdsPageByPage(deps, clocks, limit, { after }), label).toEqual(
            await planIdsPageByPage(reference, clocks, limit, { after }),
          );
        }
  });

  it('give every report the reference fold gives, whole and page by page, at every clock', async () => {
    const deps = { reader: live.reader, directory: live.directory };
    const reports = {
      organisations: (d: ViewDeps, c: Clocks) => organisationsPage(d, c, {}),
      swast: (d: ViewDeps, c: Clocks) => organisationView(d, c, 'SWAST', WHOLE_REPORT),
      'swast, first page': (d: ViewDeps, c: Clocks) => organisationView(d, c, 'SWAST', { limit: 1 }),
      deadlines: (d: ViewDeps, c: Clocks) => deadlinesView(d, c, { from: '2025-01', to: '2025-12' }, WHOLE_REPORT),
      'deadlines, first page': (d: ViewDeps, c: Clocks) => deadlinesView(d, c, { from: '2025-01', to: '2025-12' }, { limit: 1 }),
      'deadlines, after the first plan': (d: ViewDeps, c: Clocks) =>
        deadlinesView(d, c, { from: '2025-01', to: '2025-12' }, { after: PLAIN, limit: 1 }),
      discrepancies: (d: ViewDeps, c: Clocks) => discrepanciesView(d, c, WHOLE_REPORT),
      'discrepancies, after the first plan': (d: ViewDeps, c: Clocks) => discrepanciesView(d, c, { after: PLAIN, limit: 1 }),
    };
    for (const clocks of clocksToRead())
      for (const [name, report] of Object.entries(reports))
        expect(plain(await report(deps, clocks)), `${name} ${JSON.stringify(clocks)}`).toEqual(plain(await report(reference, clocks)));
    // The reports list the plans with findings in the store's order.
    const whole = await discrepanciesView(deps, { asOf, effectiveOn: '2026-01' }, WHOLE_REPORT);
    expect(whole.greenButOverdue.map((f) => f.planId)).toEqual([PLAIN, FULLWIDTH, EMOJI]);
  });
});
