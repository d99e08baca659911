import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clocks } from '../../projections/clocks/clocks.ts';
import { openReadModels, readModelsFile, type ReadModels } from '../../projections/read-models.ts';
import type { ViewDeps } from '../../projections/views/plan-views.ts';
import { createCommandHandler } from '../../src/commands/command-path.ts';
import type { PlanCommand } from '../../src/domain/plan/commands.ts';
import { openSqliteEventStore, type SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { planIdsPageByPage } from './plan-list-walk.ts';
import { referenceReader } from './reference-reader.ts';

/**
 * The plan list a page at a time, as a client follows `next`, at every kind of clock: plans
 * registered after a clock, retracted and reinstated, with events after the asOf, recorded after
 * what the read models have applied, and with business lines still being worked out again. Each
 * walk must list what the reference fold lists, from any cursor: a page that ends early loses
 * the plans after it, and a page that lists a plan out of turn skips the ones it passed.
 */
const actor = { id: 'u1', name: 'Sam Auditor', organisation: 'Dorset CCG', role: 'operator' };
const dir = makeTempDir('ledger-plan-pages-');
let store: SqliteEventStore;
let now = Date.parse('2026-01-01T09:00:00.000Z');
const clock = () => new Date(now);
const instants: Record<'early' | 'behind' | 'last', string> = { early: '', behind: '', last: '' };
let live: ReadModels;
let behind: ReadModels;
let reference: ViewDeps;

const later = (hours: number) => new Date((now += hours * 3_600_000)).toISOString();

beforeAll(async () => {
  store = openSqliteEventStore({ file: dir.file('ledger.db') });
  const handle = createCommandHandler({ store, clock });
  let n = 0;
  const run = async (planId: string, command: PlanCommand, effectiveOn?: string) => {
    now += 60_000;
    await handle(planId, command, { actor, commandId: `c${n++}`, correlationId: 'pages', provenance: { source: 'api' }, effectiveOn });
  };
  const register = (planId: string, effectiveOn = '2014-06') =>
    run(planId, { type: 'RegisterPlan', data: { planId, title: planId, kind: 'other', owner: 'Dorset CCG', ragLegend: [] } }, effectiveOn);
  const retract = (planId: string, effectiveOn?: string) =>
    run(planId, { type: 'RetractPlan', data: { reason: 'Imported by mistake' } }, effectiveOn);
  const reinstate = (planId: string) => run(planId, { type: 'ReinstatePlan', data: { reason: 'Ours after all' } }, '2017-01');
  const recommend = (planId: string, ref: string) =>
    run(planId, { type: 'RecordRecommendation', data: { ref, text: 'Street triage', addressedTo: ['SWAST'] } }, '2014-07');

  for (const planId of ['plan-a', 'plan-b', 'plan-c', 'plan-d', 'plan-f']) await register(planId);
  await retract('plan-b', '2015-01');
  instants.early = later(1);
  later(1);
  await register('plan-e', '2016-01');
  await register('plan-0');
  await retract('plan-c', '2015-01');
  await recommend('plan-a', 'R2');
  await reinstate('plan-b');
  // Read models stopped here: everything after is past what they have applied.
  behind = openReadModels({ store, dataDir: dir.file('behind'), clock, runner: { chunkEvents: 5 } });
  await behind.runner.start();
  expect(await behind.runner.waitFor((await store.headPosition()) ?? -1n, 10_000)).toBe(true);
  await behind.runner.stop();
  instants.behind = later(1);
  later(1);
  await register('plan-g');
  await retract('plan-d', '2015-01');
  await register('plan-bb');
  await recommend('plan-e', 'R3');
  // Two plans in a row retracted past the read models' position, before plan-f, which nothing touches after it.
  await retract('plan-e');
  await retract('plan-0');
  instants.last = later(1);
  live = openReadModels({ store, dataDir: dir.file('live'), clock, runner: { chunkEvents: 5 } });
  await live.runner.start();
  expect(await live.runner.waitFor((await store.headPosition()) ?? -1n, 10_000)).toBe(true);
  reference = { reader: referenceReader(store, clock), directory: live.directory };
});

afterAll(async () => {
  await live.close();
  await behind.close();
  await store.close();
  dir.remove();
});

/** Every plan id listed by following `next` from `after`, a page of `limit` at a time. */
const walk = (deps: ViewDeps, clocks: Clocks, limit: number, after: string | undefined) =>
  planIdsPageByPage(deps, clocks, limit, { after });

const everyCursorAndLimit = async (readModels: ReadModels, clocks: Clocks) => {
  const deps = { reader: readModels.reader, directory: readModels.directory };
  for (const limit of [1, 2, 3])
    for (const after of [undefined, 'plan-0', 'plan-b', 'plan-ba', 'plan-c', 'plan-e'])
      expect(await walk(deps, clocks, limit, after), JSON.stringify({ clocks, limit, after })).toEqual(
        await walk(reference, clocks, limit, after),
      );
};

const asOfClocks = (): Clocks[] => [
  { asOf: instants.early },
  { asOf: instants.behind },
  { asOf: instants.last },
  { asOf: instants.early, effectiveOn: '2019-06' },
  { asOf: instants.behind, effectiveOn: '2015-06' },
  { asOf: instants.last, effectiveOn: '2019-06' },
];

describe('plans folded one by one', () => {
  it('are told to a listener as they are folded, counting up to the number to fold, and none when the history answers', async () => {
    const told: [number, number][] = [];
    const stop = live.reader.onFold((folded, of) => told.push([folded, of]));
    try {
      // Plans with events after this asOf are folded; every plan has none after the last instant.
      await live.reader.planLines({ asOf: instants.early, effectiveOn: '2019-06' });
      const of = told[0]?.[1] ?? 0;
      expect(of).toBeGreaterThan(0);
      expect(told).toEqual(Array.from({ length: of }, (_, i) => [i + 1, of]));
      told.length = 0;
      await live.reader.planLines({ asOf: instants.last, effectiveOn: '2019-06' });
      expect(told).toEqual([]);
    } finally {
      stop();
    }
    await live.reader.planLines({ asOf: instants.early, effectiveOn: '2019-06' });
    expect(told).toEqual([]); // no longer listening
  });
});

describe('the plan list, followed page by page', () => {
  it('lists every plan listed at the clocks exactly once, in id order, at every clock and from any cursor', async () => {
    for (const clocks of [{}, { effectiveOn: '2014-06' }, { effectiveOn: '2019-06' }, ...asOfClocks()])
      await everyCursorAndLimit(live, clocks);
  });

  it('does so from read models that have not applied the latest events, at every asOf', async () => {
    for (const clocks of asOfClocks()) await everyCursorAndLimit(behind, clocks);
  });

  it('does so while plans have business lines waiting to be worked out again', async () => {
    // The state a correction leaves a plan in until the runner's next write settles it.
    const db = new Database(readModelsFile(dir.file('live')));
    try {
      db.prepare("UPDATE history_cursors SET dirty = 1 WHERE plan IN ('plan-a', 'plan-c', 'plan-e', 'plan-bb')").run();
    } finally {
      db.close();
    }
    for (const clocks of [{ effectiveOn: '2014-06' }, { effectiveOn: '2019-06' }, ...asOfClocks()]) await everyCursorAndLimit(live, clocks);
  });
});
