import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldPlanFromLedger } from '../../projections/ledger-fold.ts';
import { createPlanReader } from '../../projections/plan-reader.ts';
import { openReadModels, type ReadModels } from '../../projections/read-models.ts';
import type { PlanDoc } from '../../projections/plan-status/document.ts';
import { planLines } from '../../projections/plan-status/plan-lines.ts';
import { createCommandHandler } from '../../src/commands/command-path.ts';
import type { EventStore } from '../../src/store/port.ts';
import type { StoredEvent } from '../../events/envelope.ts';
import { openSqliteEventStore, type SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { generatePlanLedger } from '../support/plan-ledger-generator.ts';
import { makeTempDir } from '../support/temp-dir.ts';

/**
 * One long plan (1,200 events over ten years, one in twenty recorded up to two years late) read
 * at many business dates and instants: every answer equals the fold of the facts the clock
 * selects, and a read folds on from a snapshot, reading a bounded share of the plan's events.
 */
const EVENTS = 1_200;
let dir: ReturnType<typeof makeTempDir>;
let store: SqliteEventStore;
let readModels: ReadModels;

/** The same store, counting the events its stream reads yield; `taken()` says how many since it was last asked. */
const counting = (inner: EventStore) => {
  let read = 0;
  const counted = async function* (events: AsyncIterable<StoredEvent>) {
    for await (const event of events) {
      read++;
      yield event;
    }
  };
  const store: EventStore = {
    ...inner,
    readStream: (stream, options) => counted(inner.readStream(stream, options)),
    readRevisions: (stream, revisions) => counted(inner.readRevisions(stream, revisions)),
  };
  const taken = () => {
    const n = read;
    read = 0;
    return n;
  };
  return { store, taken };
};

beforeAll(async () => {
  dir = makeTempDir('ledger-one-plan-');
  store = openSqliteEventStore({ file: dir.file('ledger.db') });
  await generatePlanLedger(store, { events: EVENTS, plans: 1, perAppend: 20, spreadBusinessDates: true });
  readModels = openReadModels({ store, dataDir: dir.path });
  await readModels.runner.rebuild();
}, 60_000);

afterAll(async () => {
  await readModels.close();
  await store.close();
  dir.remove();
});

/** Every other month of the plan's ten years and one either side. */
const months = Array.from({ length: 6 * 12 }, (_, i) => `${2014 + Math.floor(i / 6)}-${String((i % 6) * 2 + 1).padStart(2, '0')}`);

describe('one plan at a clock', () => {
  it('at every effectiveOn equals the fold of the facts that count, reading at most the snapshot spacing and the late records', async () => {
    const { store: reads, taken } = counting(store);
    const reader = createPlanReader({ store: reads, readStore: readModels.readStore, clock: () => new Date() });
    let most = 0;
    for (const month of months) {
      for (const effectiveOn of [month, `${month}-15`]) {
        const doc = await reader.planDoc('plan-00000', { effectiveOn });
        most = Math.max(most, taken());
        expect(doc, effectiveOn).toEqual(await foldPlanFromLedger(store, 'plan-00000', undefined, effectiveOn));
      }
    }
    // The rest of the prefix after a snapshot (every 100 events), the late records that count and the corrections.
    expect(most).toBeLessThan(200);
  });

  it('at every asOf equals the fold of the events recorded by then, reading at most the snapshot spacing', async () => {
    const { store: reads, taken } = counting(store);
    const reader = createPlanReader({ store: reads, readStore: readModels.readStore, clock: () => new Date() });
    let most = 0;
    for (const month of months) {
      const asOf = `${month}-15T12:00:00.000Z`;
      const upTo = await reader.positionAt(asOf);
      taken();
      const doc = await reader.planDoc('plan-00000', { asOf });
      most = Math.max(most, taken());
      expect(doc, asOf).toEqual(upTo === undefined ? undefined : await foldPlanFromLedger(store, 'plan-00000', upTo, undefined));
    }
    // The snapshot's own event, at most 99 after it, and the one past the position that ends the fold.
    expect(most).toBeLessThanOrEqual(101);
  });

  it('at both clocks equals the fold of the events recorded by the asOf that count at the effectiveOn, reading a bounded share', async () => {
    const { store: reads, taken } = counting(store);
    const reader = createPlanReader({ store: reads, readStore: readModels.readStore, clock: () => new Date() });
    let most = 0;
    for (const [i, month] of months.entries()) {
      const asOf = `${months[Math.min(months.length - 1, i + 6)]}-15T12:00:00.000Z`;
      const upTo = await reader.positionAt(asOf);
      taken();
      const doc = await reader.planDoc('plan-00000', { asOf, effectiveOn: month });
      most = Math.max(most, taken());
      expect(doc, `${asOf} ${month}`).toEqual(upTo === undefined ? undefined : await foldPlanFromLedger(store, 'plan-00000', upTo, month));
    }
    // As at an effectiveOn alone, and the events a search for the plan's last revision by then reads (one a step).
    expect(most).toBeLessThan(220);
  });

  it('has lines in the history (what the views over every plan read) equal to the lines of the fold, at every month on either clock', async () => {
    const reader = createPlanReader({ store, readStore: readModels.readStore, clock: () => new Date() });
    // As JSON: an action's details read from the history resolve when serialised, as a view's answer does.
    const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
    const linesOf = (doc: PlanDoc | undefined) => json(doc && !doc.retraction ? [planLines(doc)] : []);
    for (const month of months) {
      const asOf = `${month}-15T12:00:00.000Z`;
      const upTo = await reader.positionAt(asOf);
      const known = upTo === undefined ? undefined : await foldPlanFromLedger(store, 'plan-00000', upTo, undefined);
      expect(json([...(await reader.planLines({ asOf }))]), asOf).toEqual(linesOf(known));
      const happened = await foldPlanFromLedger(store, 'plan-00000', undefined, month);
      expect(json([...(await reader.planLines({ effectiveOn: month }))]), month).toEqual(linesOf(happened));
    }
  });

  // Last: it records more of the plan, which the read models do not apply (their runner is not started).
  it('counts events the read models have not applied yet, and folds the whole stream once a correction moves a business date', async () => {
    const handle = createCommandHandler({ store, clock: () => new Date('2025-02-01T09:00:00.000Z') });
    const record = (command: Parameters<typeof handle>[1], effectiveOn?: string) =>
      handle('plan-00000', command, {
        actor: { id: 'u1', name: 'Sam Auditor', organisation: 'Dorset CCG', role: 'operator' },
        commandId: `later-${command.type}-${effectiveOn}`,
        correlationId: 'later',
        provenance: { source: 'api' },
        effectiveOn,
      });
    const compare = async () => {
      for (const effectiveOn of ['2016-04', '2016-06', '2019-01-15', '2024-12'])
        expect(await readModels.reader.planDoc('plan-00000', { effectiveOn }), effectiveOn).toEqual(
          await foldPlanFromLedger(store, 'plan-00000', undefined, effectiveOn),
        );
    };
    // Recorded now, dated long before: it counts from 2016-05 on, after events the read models dated.
    const late = await record({ type: 'AddSection', data: { sectionRef: '9', title: 'Recorded late' } }, '2016-05');
    await compare();
    await record({
      type: 'CorrectEntry',
      data: { correctedEventId: late.eventIds[0]!, changes: {}, correctedEffectiveOn: '2019-01', reason: 'Typed wrongly' },
    });
    await compare();
  });
});
