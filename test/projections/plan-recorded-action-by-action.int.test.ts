import { afterEach, describe, expect, it } from 'vitest';
import { openReadModels, type ReadModels } from '../../projections/read-models.ts';
import { WHOLE_REPORT } from '../../projections/plan-status/findings-page.ts';
import { planView, plansPage, type ViewDeps } from '../../projections/views/plan-views.ts';
import { deadlinesView, organisationsPage, organisationView } from '../../projections/views/report-views.ts';
import { createCommandHandler } from '../../src/commands/command-path.ts';
import type { PlanCommand } from '../../src/domain/plan/commands.ts';
import { openSqliteEventStore, type SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { referenceReader } from './reference-reader.ts';

const CLOCK = () => new Date('2026-12-01T12:00:00.000Z');
const ACTIONS = 12;
const UPDATES = 60;
const actor = { id: 'u1', name: 'Jo Bloggs', organisation: 'Dorset CCG', role: 'plan-manager' as const };

/**
 * A plan imported from an old document: each action's updates over a year, recorded one action after another, so each
 * action's earliest update is dated before every change of those recorded before it. Its business lines are worked out
 * once for each such action rather than laid out again at every event (history-writer.ts); every view at the business
 * clock must still equal the fold of the events that clock selects, live and after a rebuild.
 */
const recordActionByAction = async (store: SqliteEventStore) => {
  const handle = createCommandHandler({ store });
  let n = 0;
  const send = (command: PlanCommand, effectiveOn: string) =>
    handle('long', command, { actor, commandId: `c${n++}`, correlationId: 'test', provenance: { source: 'api' }, effectiveOn });
  await send(
    {
      type: 'RegisterPlan',
      data: {
        planId: 'long',
        title: 'Long plan',
        kind: 'other',
        owner: 'Dorset CCG',
        ragLegend: [
          { rating: 'Red', meaning: 'Late' },
          { rating: 'Green', meaning: 'On track' },
        ],
      },
    },
    '2015-12',
  );
  for (let ref = 1; ref <= ACTIONS; ref++)
    await send(
      {
        type: 'AgreeAction',
        data: {
          ref: String(ref),
          text: `Action ${ref}`,
          recommendationRefs: [],
          leadOrganisations: [ref % 2 ? 'Dorset CCG' : 'Dorset Police'],
          partnerOrganisations: [],
          intendedOutcomes: [],
          due: { kind: 'date', date: `2016-${String(1 + (ref % 12)).padStart(2, '0')}` },
          relatedActionRefs: [],
        },
      },
      '2016-01-01',
    );
  for (let ref = 1; ref <= ACTIONS; ref++)
    for (let day = 1; day <= UPDATES; day++) {
      const date = new Date(Date.UTC(2016, 0, 1 + day * 6)).toISOString().slice(0, 10);
      const rating = day % 3 === 0 ? 'Red' : 'Green';
      await send(
        {
          type: 'RecordProgressUpdate',
          data: { target: { kind: 'action', ref: String(ref) }, narrative: `Update ${day}`, metrics: [], reportedRag: { rating } },
        },
        date,
      );
    }
};

describe('a long plan recorded action by action', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0)) await close();
  });

  it('answers every view at business dates across its year as the fold of the events they select, live and rebuilt', async () => {
    const dir = makeTempDir('ledger-action-by-action-');
    const store = openSqliteEventStore({ file: dir.file('ledger.db') });
    const live = openReadModels({ store, dataDir: dir.file('live'), clock: CLOCK });
    const rebuilt = openReadModels({ store, dataDir: dir.file('rebuilt'), clock: CLOCK });
    cleanup.push(async () => {
      await live.close();
      await rebuilt.close();
      await store.close();
      dir.remove();
    });
    await live.runner.start();
    await recordActionByAction(store);
    expect(await live.runner.waitFor((await store.headPosition())!, 30_000)).toBe(true);
    await rebuilt.runner.rebuild();
    const reference: ViewDeps = { reader: referenceReader(store, CLOCK), directory: live.directory };
    const compare = async (readModels: ReadModels, effectiveOn: string) => {
      const real: ViewDeps = { reader: readModels.reader, directory: readModels.directory };
      const clocks = { effectiveOn };
      const both = async (view: (deps: ViewDeps) => Promise<unknown>) =>
        expect(JSON.parse(JSON.stringify(await view(real))), effectiveOn).toEqual(JSON.parse(JSON.stringify(await view(reference))));
      await both((d) => plansPage(d, clocks, {}, 0n).then(({ position: _, ...rest }) => rest));
      await both((d) => organisationsPage(d, clocks, {}));
      await both((d) => organisationView(d, clocks, 'Dorset Police', WHOLE_REPORT));
      await both((d) => deadlinesView(d, clocks, { from: '2016-01', to: '2016-12' }, WHOLE_REPORT));
      await both((d) => planView(d, clocks, 'long'));
    };
    for (const effectiveOn of ['2016-01-01', '2016-01-20', '2016-03-15', '2016-06', '2016-09-30', '2017-01'])
      for (const readModels of [live, rebuilt]) await compare(readModels, effectiveOn);
  }, 120_000);
});
