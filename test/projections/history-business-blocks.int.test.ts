import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { businessDay } from '../../projections/history/business-days.ts';
import { createHistoryWriter } from '../../projections/history/history-writer.ts';
import { decodeBlock } from '../../projections/history/storage/block-codec.ts';
import { createInterner } from '../../projections/history/storage/interner.ts';
import { BLOCK_CHANGES, blocksOf, type LineBlock } from '../../projections/history/storage/line-blocks.ts';
import type { LedgerFact } from '../../projections/ledger-fact.ts';
import { evolvePlanStatus } from '../../projections/plan-status/evolve.ts';
import type { PlanDoc } from '../../projections/plan-status/document.ts';
import { openDocumentReader, openReadStore } from '../../projections/runner/sqlite/read-store.ts';
import { agreed, ledgerFact, registered } from './facts.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const progress = (ref: string, effectiveOn: string, narrative: string) =>
  ledgerFact('ProgressUpdateRecorded', { target: { kind: 'action', ref }, narrative, metrics: [] }, { effectiveOn });

/** A day of 2016 as a business date, `n` days after 1 January. */
const dayOf2016 = (n: number) => new Date(Date.UTC(2016, 0, 1 + n)).toISOString().slice(0, 10);

/**
 * The business blocks a history writer on a real (empty) read store lays out for the facts: those recorded in business
 * order at once, and the plans it marked (`marked`) worked out again from the facts, as a rebuild does at a stream's end.
 */
const businessBlocksOf = (facts: LedgerFact[], marked: string[] = []): LineBlock[] => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-business-blocks-'));
  dirs.push(dir);
  const file = path.join(dir, 'read-models.db');
  openReadStore(file).close();
  const reads = openDocumentReader(file);
  try {
    const writer = createHistoryWriter(reads.history, createInterner(1));
    let doc: PlanDoc | undefined;
    for (const fact of facts) {
      doc = evolvePlanStatus(doc, fact);
      writer.record('p1', fact, doc);
    }
    expect(writer.dirty()).toEqual(marked);
    for (const plan of marked) writer.settle(plan, facts);
    const [plan] = writer.drain().business;
    return plan!.blocks.map((b) => decodeBlock(b.seq, b.first, b.bytes));
  } finally {
    reads.close();
  }
};

describe('business blocks laid fact by fact', () => {
  // With two actions agreed first, a day's two changes fall either side of each block's end; with three, the days line up with the blocks.
  it.each([2, 3])('hold each part once a day, in order, laid out as the same changes laid out at once (%i actions)', (actions) => {
    const facts = [registered({ effectiveOn: '2015-12-01' })];
    for (let ref = 1; ref <= actions; ref++)
      facts.push(agreed(String(ref), { kind: 'date', date: '2017-03' }, { effectiveOn: '2016-01-01' }));
    // Updates of actions 1, 2 and 1 again each day, for long enough to fill several blocks: a
    // day's second update of action 1 replaces its first, before action 2's (its part is older).
    const days = 2 * BLOCK_CHANGES;
    for (let n = 1; n <= days; n++) for (const ref of ['1', '2', '1']) facts.push(progress(ref, dayOf2016(n), `day ${n}, action ${ref}`));
    const blocks = businessBlocksOf(facts);

    const changes = blocks.flatMap((b) => b.changes);
    // The header and the actions on the first day, then actions 1 and 2 on each day.
    expect(changes).toHaveLength(1 + actions + 2 * days);
    expect(blocks.length).toBeGreaterThan(2);
    // Full blocks, numbered in order, each starting at its first change from the lines before it.
    expect(blocks).toEqual(blocksOf(new Map(), changes));
    const updates = facts.slice(1 + actions);
    for (let n = 1; n <= days; n++) {
      const [, two, oneAgain] = updates.slice(3 * (n - 1), 3 * n);
      const ofDay = changes.filter(([day]) => day === businessDay(dayOf2016(n))).map(([, part, , lastPos]) => [part, lastPos]);
      expect(ofDay).toEqual([
        ['a:1', Number(oneAgain!.position)],
        ['a:2', Number(two!.position)],
      ]);
    }
  });

  it('marks a plan recorded action by action, each over a year, to be worked out once, not laid out again at every event, and lays it out whole', () => {
    // Twelve actions, each updated daily for sixty days of 2016, recorded one action after another: each action's first
    // update lands before every change of the actions recorded before it, further back as the plan grows.
    const facts = [registered({ effectiveOn: '2015-12-01' })];
    for (let ref = 1; ref <= 12; ref++) facts.push(agreed(String(ref), { kind: 'date', date: '2017-03' }, { effectiveOn: '2016-01-01' }));
    for (let ref = 1; ref <= 12; ref++)
      for (let n = 1; n <= 60; n++) facts.push(progress(String(ref), dayOf2016(n), `day ${n}, action ${ref}`));
    const blocks = businessBlocksOf(facts, ['p1']);

    const changes = blocks.flatMap((b) => b.changes);
    // The header, each action agreed, and each action's line on each of its sixty days: once each, in business order.
    expect(changes).toHaveLength(1 + 12 + 12 * 60);
    expect(new Set(changes.map(([day, part]) => `${day} ${part}`)).size).toBe(changes.length);
    expect(changes.map(([day]) => day)).toEqual(changes.map(([day]) => day).sort((a, b) => a - b));
    expect(blocks).toEqual(blocksOf(new Map(), changes));
  });
});
