import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openReadModels, projections, readModelsFile, type ReadModels } from '../../projections/read-models.ts';
import { openReadStore } from '../../projections/runner/sqlite/read-store.ts';
import { HistoryChanged } from '../../projections/history/storage/history-changed.ts';
import { organisationsPage } from '../../projections/views/report-views.ts';
import { plansPage, type ViewDeps } from '../../projections/views/plan-views.ts';
import type { Clocks } from '../../projections/clocks/clocks.ts';
import { createCommandHandler } from '../../src/commands/command-path.ts';
import type { PlanCommand } from '../../src/domain/plan/commands.ts';
import type { EventStore } from '../../src/store/port.ts';
import { openSqliteEventStore, type SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { agreeActionCommand } from './plan-commands.ts';
import { referenceReader } from './reference-reader.ts';

/**
 * docs/projections.md "Read your writes": a read over every plan that meets the history changed under
 * it is refused 503 read-model-changed, "a rebuild (a reset of the history) refuses it at once ... seen
 * however it falls". Here `ledger rebuild` (another process sharing the read store) resets the views
 * while a read at an asOf past the read models' checkpoint is reading the ledger's later events
 * (plansRecordedBetween yields to the event loop between pages): the read must answer what the ledger
 * says at the asOf, or refuse; never a list missing plans.
 */
const actor = { id: 'u1', name: 'Sam Auditor', organisation: 'Dorset CCG', role: 'operator' };
let dir: ReturnType<typeof makeTempDir>;
let file: string;
let now = Date.parse('2026-01-01T09:00:00.000Z');
const clock = () => new Date(now);
let store: SqliteEventStore;
let readModels: ReadModels;
let last = '';
/** Armed by a test: runs once, the next time the reader reads the ledger's later events. */
let onReadAll: (() => void) | undefined;

beforeEach(async () => {
  dir = makeTempDir('asof-read-meets-rebuild-');
  file = dir.file('ledger.db');
  now = Date.parse('2026-01-01T09:00:00.000Z');
  // Pages of one event: the read yields to the event loop between the later events, as it does every 500.
  store = openSqliteEventStore({ file, pageSize: 1 });
  const handle = createCommandHandler({ store, clock });
  let n = 0;
  const run = async (planId: string, command: PlanCommand, effectiveOn = '2015-06') => {
    now += 60_000;
    await handle(planId, command, { actor, commandId: `c${n++}`, correlationId: 'r', provenance: { source: 'api' }, effectiveOn });
  };
  const register = async (planId: string) => {
    await run(planId, { type: 'RegisterPlan', data: { planId, title: planId, kind: 'other', owner: 'Dorset CCG', ragLegend: [] } });
    await run(planId, agreeActionCommand('1.1'));
  };
  for (const planId of ['plan-a', 'plan-b', 'plan-c', 'plan-d']) await register(planId);
  const hooked: EventStore = new Proxy(store, {
    get(target, key, receiver) {
      if (key !== 'readAll') return Reflect.get(target, key, receiver) as unknown;
      return (opts: Parameters<EventStore['readAll']>[0]) =>
        (async function* () {
          let n = 0;
          for await (const event of target.readAll(opts)) {
            yield event;
            if (++n === 1 && onReadAll) {
              const hook = onReadAll;
              onReadAll = undefined;
              hook();
            }
          }
        })();
    },
  });
  readModels = openReadModels({ store: hooked, dataDir: dir.path, clock: () => new Date('2026-06-01T12:00:00Z') });
  await readModels.runner.start();
  expect(await readModels.runner.waitFor((await store.headPosition())!, 10_000)).toBe(true);
  // The runner stops following: the events below are past the read models' checkpoint.
  await readModels.runner.stop();
  await register('plan-e');
  await run('plan-a', {
    type: 'RecordProgressUpdate',
    data: { target: { kind: 'action', ref: '1.1' }, narrative: 'Started', metrics: [] },
  });
  last = new Date((now += 60_000)).toISOString();
});

afterEach(async () => {
  await readModels.close();
  await store.close();
  dir.remove();
});

/** What `ledger rebuild` does first, from its own connection: every view reset to nothing, the history's generation moved on. */
const rebuildStartsElsewhere = () => {
  const other = openReadStore(readModelsFile(dir.path));
  try {
    for (const p of projections) other.reset(p.name, p.version, p.history !== undefined);
  } finally {
    other.close();
  }
};

/** The view's answer, or 'refused' when it met the history changed under it (503 read-model-changed). */
const answerOrRefusal = async <T>(view: () => Promise<T>): Promise<T | 'refused'> => {
  try {
    return await view();
  } catch (error) {
    if (error instanceof HistoryChanged) return 'refused';
    throw error;
  }
};

describe('a read at an asOf past the read models, while another process starts a rebuild', () => {
  it.each<[string, () => Clocks]>([
    ['asOf', () => ({ asOf: last })],
    ['asOf with effectiveOn', () => ({ asOf: last, effectiveOn: '2016-01' })],
  ])('lists every plan the ledger had at the %s, or refuses, and never answers a list missing plans', async (_, clocksOf) => {
    const clocks = clocksOf();
    const deps: ViewDeps = { reader: readModels.reader, directory: readModels.directory };
    const reference: ViewDeps = { reader: referenceReader(store, () => new Date('2026-06-01T12:00:00Z')), directory: readModels.directory };
    const expected = (await plansPage(reference, clocks, { limit: 100 }, 0n)).plans.map((p) => p.planId);
    expect(expected).toEqual(['plan-a', 'plan-b', 'plan-c', 'plan-d', 'plan-e']);
    onReadAll = rebuildStartsElsewhere;
    const got = await answerOrRefusal(async () => (await plansPage(deps, clocks, { limit: 100 }, 0n)).plans.map((p) => p.planId));
    expect(onReadAll).toBeUndefined(); // the rebuild did start during the read
    if (got !== 'refused') expect(got).toEqual(expected);
  });

  it('counts every plan in the organisations at the asOf, or refuses', async () => {
    const deps: ViewDeps = { reader: readModels.reader, directory: readModels.directory };
    const reference: ViewDeps = { reader: referenceReader(store, () => new Date('2026-06-01T12:00:00Z')), directory: readModels.directory };
    const clocks = { asOf: last };
    const expected = await organisationsPage(reference, clocks, { limit: 100 });
    onReadAll = rebuildStartsElsewhere;
    const got = await answerOrRefusal(() => organisationsPage(deps, clocks, { limit: 100 }));
    expect(onReadAll).toBeUndefined();
    if (got !== 'refused') expect(got).toEqual(expected);
  });
});
