import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldPlanFromLedger } from '../../projections/ledger-fold.ts';
import type { PlanDoc } from '../../projections/plan-status/document.ts';
import { planLines } from '../../projections/plan-status/plan-lines.ts';
import { openReadModels, type ReadModels } from '../../projections/read-models.ts';
import { createCommandHandler } from '../../src/commands/command-path.ts';
import type { PlanCommand } from '../../src/domain/plan/commands.ts';
import { openSqliteEventStore, type SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { generatePlanLedger } from '../support/plan-ledger-generator.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { agreeActionCommand } from './plan-commands.ts';

/**
 * One long plan whose facts are all recorded in business order (1,500 events over ten years,
 * none late), so every fact is laid into the history's business blocks as it comes and none is
 * worked out again from the ledger: some twenty blocks, many facts of one part on one day (a
 * month's last), and the blocks read back from the store when the fold goes on in small chunks.
 */
const EVENTS = 1_500;
let dir: ReturnType<typeof makeTempDir>;
let store: SqliteEventStore;
let rebuilt: ReadModels;
let followed: ReadModels;

beforeAll(async () => {
  dir = makeTempDir('ledger-business-in-order-');
  store = openSqliteEventStore({ file: dir.file('ledger.db') });
  await generatePlanLedger(store, { events: EVENTS, plans: 1, perAppend: 20, spreadBusinessDates: true, lateShare: 0 });
  rebuilt = openReadModels({ store, dataDir: dir.file('rebuilt') });
  await rebuilt.runner.rebuild();
  // Small chunks: the writer leaves the plan after each, and reads its last business blocks back from the store.
  followed = openReadModels({ store, dataDir: dir.file('followed'), runner: { chunkEvents: 7 } });
  await followed.runner.start();
  expect(await followed.runner.waitFor((await store.headPosition())!, 60_000)).toBe(true);
}, 120_000);

afterAll(async () => {
  await rebuilt.close();
  await followed.close();
  await store.close();
  dir.remove();
});

// As JSON: an action's details read from the history resolve when serialised, as a view's answer does.
const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
const linesOf = (doc: PlanDoc | undefined) => json(doc && !doc.retraction ? [planLines(doc)] : []);

/** Every month of the plan's ten years and one either side, and a day inside each. */
const dates = Array.from({ length: 12 * 12 }, (_, i) => `${2014 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`).flatMap(
  (month) => [month, `${month}-10`],
);

describe('the business-time history of facts recorded in business order', () => {
  it('gives the lines of the fold of the facts that count, at every month and a day inside it, rebuilt and followed in small chunks', async () => {
    for (const effectiveOn of dates) {
      const expected = linesOf(await foldPlanFromLedger(store, 'plan-00000', undefined, effectiveOn));
      expect(json([...(await rebuilt.reader.planLines({ effectiveOn }))]), `rebuilt ${effectiveOn}`).toEqual(expected);
      expect(json([...(await followed.reader.planLines({ effectiveOn }))]), `followed ${effectiveOn}`).toEqual(expected);
    }
    // A reference fold of the whole plan at every month and a day inside it: about 10 s alone, three times that beside other work.
  }, 90_000);
});

describe('a fact dated before the later blocks of other parts, in order for its own part', () => {
  it('is read at every day from its own, although the block it opens started later', async () => {
    const ledgerDir = makeTempDir('ledger-business-block-start-');
    const ledger = openSqliteEventStore({ file: ledgerDir.file('ledger.db') });
    const live = openReadModels({ store: ledger, dataDir: ledgerDir.file('live'), runner: { chunkEvents: 5 } });
    try {
      let now = Date.parse('2017-06-01T09:00:00.000Z');
      const handle = createCommandHandler({ store: ledger, clock: () => new Date(now) });
      let n = 0;
      const run = (command: PlanCommand, effectiveOn: string) => {
        now += 60_000;
        return handle('plan-x', command, {
          actor: { id: 'u1', name: 'Sam Lead', organisation: 'Dorset CCG', role: 'operator' },
          commandId: `c${n++}`,
          correlationId: 'blocks',
          provenance: { source: 'api' },
          effectiveOn,
        });
      };
      const agree = agreeActionCommand;
      const update = (ref: string): PlanCommand => ({
        type: 'RecordProgressUpdate',
        data: { target: { kind: 'action', ref }, narrative: `Update on ${ref}`, metrics: [] },
      });
      const dayAfter = (days: number) => new Date(Date.parse('2016-06-01T00:00:00Z') + days * 86_400_000).toISOString().slice(0, 10);
      await run(
        { type: 'RegisterPlan', data: { planId: 'plan-x', title: 'Plan X', kind: 'other', owner: 'Dorset CCG', ragLegend: [] } },
        '2015-01',
      );
      await run(agree('1.1'), '2015-01');
      await run(agree('1.2'), '2015-01');
      // Updates to 1.2 every other day: with the three facts above, the 62nd opens the second block of 64 changes.
      for (let i = 0; i < 80; i++) await run(update('1.2'), dayAfter(2 * i));
      // 1.1's next fact falls between the first block's last day and the second's first: it opens the second block.
      const between = dayAfter(2 * 60 + 1);
      await run(update('1.1'), between);
      await live.runner.start();
      expect(await live.runner.waitFor((await ledger.headPosition())!, 30_000)).toBe(true);
      for (const effectiveOn of [dayAfter(119), dayAfter(120), between, dayAfter(122), dayAfter(123), '2016-10', '2016-12']) {
        const expected = linesOf(await foldPlanFromLedger(ledger, 'plan-x', undefined, effectiveOn));
        expect(json([...(await live.reader.planLines({ effectiveOn }))]), effectiveOn).toEqual(expected);
      }
    } finally {
      await live.close();
      await ledger.close();
      ledgerDir.remove();
    }
  });
});
