import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBlock, encodeBlockListing, partsAt } from '../../projections/history/storage/block-codec.ts';
import type { LineBlock } from '../../projections/history/storage/line-blocks.ts';
import { readModelsFile } from '../../projections/read-models.ts';
import { recordDorsetPlan } from './dorset-scenario.ts';
import { openReadApp, type ReadApp } from './read-app.ts';

/**
 * A block as a read store written before blocks listed their parts in the order they were created
 * holds it: its table of parts in the order the block meets them (the base's, then its changes'),
 * which on the business clock is the order of their days.
 */
const inOrderMet = (block: LineBlock): Uint8Array =>
  encodeBlockListing(block, [...new Set([...block.base.map(([part]) => part), ...block.changes.map(([, part]) => part)])]);

let r: ReadApp;
beforeAll(async () => {
  r = await openReadApp();
  await recordDorsetPlan(r);
  // Actions agreed in the order opposite to their dates: the business blocks meet them by day.
  for (const [ref, effectiveOn] of [
    ['4.1', '2017-09'],
    ['4.2', '2016-04-12'],
    ['4.3', '2015-11'],
  ] as const)
    await r.post('/plans/dorset-ccc/actions', {
      ref,
      text: `Action ${ref}`,
      leadOrganisations: ['Dorset Police'],
      due: { kind: 'date', date: '2018-03' },
      effectiveOn,
    });
});
afterAll(() => r.close());

const CLOCKS = [{}, { effectiveOn: '2017-10' }, { effectiveOn: '2016-06' }, { asOf: '2026-11-23T11:00:00.000Z' }];
const linesAtEveryClock = async () => {
  const out = [];
  for (const clocks of CLOCKS) out.push(JSON.parse(JSON.stringify([...(await r.readModels.reader.planLines(clocks))])));
  return out;
};

describe("a plan's lines read from its history", () => {
  it('come in the order its actions and recommendations were created, on either clock', async () => {
    const doc = (await r.get('/plans/dorset-ccc')).json() as { actions: { ref: string }[] };
    const [[live], [inOctober2017]] = await linesAtEveryClock();
    expect(live.actions.map((a: { ref: string }) => a.ref)).toEqual(doc.actions.map((a) => a.ref));
    expect(inOctober2017.actions.map((a: { ref: string }) => a.ref)).toEqual(doc.actions.map((a) => a.ref));
  });

  it('are the same from blocks written by an earlier release, which listed parts in the order the block met them', async () => {
    const before = await linesAtEveryClock();
    // Another connection rewrites every block as an earlier release wrote it, as another process would commit.
    const db = new Database(readModelsFile(r.dir.path));
    let reordered = 0;
    try {
      for (const table of ['ledger_line_blocks', 'business_line_blocks']) {
        const rows = db.prepare(`SELECT rowid, seq, first, block FROM ${table}`).all() as {
          rowid: number;
          seq: number;
          first: number;
          block: Uint8Array;
        }[];
        const update = db.prepare(`UPDATE ${table} SET block = ? WHERE rowid = ?`);
        for (const row of rows) {
          const old = inOrderMet(decodeBlock(row.seq, row.first, row.block));
          if (partsAt(old, Number.POSITIVE_INFINITY).parts.join() !== partsAt(row.block, Number.POSITIVE_INFINITY).parts.join())
            reordered++;
          update.run(old, row.rowid);
        }
      }
    } finally {
      db.close();
    }
    // Otherwise this would read blocks no different from those written now.
    expect(reordered).toBeGreaterThan(0);
    expect(await linesAtEveryClock()).toEqual(before);
  });
});
