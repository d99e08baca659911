import type Database from 'better-sqlite3';
import { comparePlanIds } from '../../plan-id-order.ts';
import { HistoryChanged } from '../storage/history-changed.ts';
import type { PlanBlockAt } from '../storage/history-store.ts';

export type BlockTable = 'ledger_line_blocks' | 'business_line_blocks';

/** One plan's blocks on one clock, in the order the store's index keeps them (first point, then seq). */
interface Blocks {
  firsts: number[];
  rowids: number[];
  /** Each block's bytes once a read has fetched them; undefined until then and after the bytes are dropped. */
  bytes: (Uint8Array | undefined)[];
}

/** What a read at a point needs of a plan besides its block: its cursor's figures, and its blocks on each clock once read. */
interface PlanEntry {
  dirty: boolean;
  knowledgePos: number;
  lastPos: number;
  blocks: Partial<Record<BlockTable, Blocks>>;
}

/** Bytes of blocks kept between reads unless told otherwise: at a million events every block of both clocks fits (about 82 MiB). */
export const KEPT_BLOCK_BYTES = 256 * 2 ** 20;
/** Plans whose blocks are looked up, and missing bytes fetched in one query, at a time: a page stops after a few. */
const CHUNK = 100;

/**
 * Where each plan's block at a point is, kept in this process: every plan's cursor figures and
 * the first point of each of its blocks, and the blocks' bytes, about `keptBytes` of them (a walk
 * may pass it; they are dropped before the next). A read over
 * every plan at a point found each plan's block with a correlated index search and read its
 * row, and at a million events that was a third of the read's time (docs/projections.md).
 *
 * It is a cache, rebuilt from the tables whenever it is dropped: every write and reset on this
 * connection names the plans it touched (`forget`) or drops it all (`clear`), and a commit by
 * another connection (another process on the same read store) changes SQLite's
 * `data_version`, which every read compares first. A transaction rolled back on this
 * connection drops it all (read-store.ts, `together`): a read while it was open saw its rows.
 */
export const createBlockDirectory = (
  db: Database.Database,
  { keptBytes = KEPT_BLOCK_BYTES, chunk = CHUNK }: { keptBytes?: number; chunk?: number } = {},
) => {
  const planList = db.prepare<[], string>('SELECT plan FROM history_cursors ORDER BY plan').pluck();
  const cursorOf = db
    .prepare<[string], [dirty: number, knowledgePos: number, lastPos: number]>(
      "SELECT dirty, knowledge_pos, json_extract(cursor, '$.lastPos') FROM history_cursors WHERE plan = ?",
    )
    .raw();
  const statements = (table: BlockTable) => ({
    // The index (plan, first, seq) holds the rowid: this reads no block.
    blocksOf: db
      .prepare<[string], [first: number, rowid: number]>(`SELECT first, rowid FROM ${table} WHERE plan = ? ORDER BY first, seq`)
      .raw(),
    // Rowids in one JSON array: a read fetches up to a chunk's blocks in one statement.
    bytesOf: db
      .prepare<[string], [rowid: number, block: Uint8Array]>(
        `SELECT rowid, block FROM ${table} WHERE rowid IN (SELECT value FROM json_each(?))`,
      )
      .raw(),
  });
  const tables = { ledger_line_blocks: statements('ledger_line_blocks'), business_line_blocks: statements('business_line_blocks') };
  const dataVersionOf = db.prepare<[], number>('PRAGMA data_version').pluck();
  const dataVersion = () => dataVersionOf.get()!;

  let plans: string[] | undefined;
  const entries = new Map<string, PlanEntry>();
  let bytesKept = 0;
  let version = dataVersion();
  /** Counts every forget and clear: a walk over the plans checks that none came while it ran. */
  let changes = 0;

  const clear = () => {
    changes++;
    plans = undefined;
    entries.clear();
    bytesKept = 0;
  };

  const bytesOfEntry = (entry: PlanEntry) => {
    let sum = 0;
    for (const blocks of Object.values(entry.blocks)) for (const b of blocks.bytes) sum += b?.length ?? 0;
    return sum;
  };

  /** Drops what is kept of these plans; a plan not listed yet makes the list be read again. */
  const forget = (touched: Iterable<string>) => {
    changes++;
    for (const plan of touched) {
      const entry = entries.get(plan);
      if (entry) {
        bytesKept -= bytesOfEntry(entry);
        entries.delete(plan);
      } else if (plans && plans[firstAfter(plans, plan, true)] !== plan) plans = undefined;
    }
  };

  /** Past the bound, every plan's bytes are dropped at once (before a read, never during one). */
  const makeRoom = () => {
    if (bytesKept <= keptBytes) return;
    for (const entry of entries.values())
      for (const blocks of Object.values(entry.blocks)) blocks.bytes = blocks.bytes.map(() => undefined);
    bytesKept = 0;
  };

  const entryOf = (plan: string): PlanEntry | undefined => {
    let entry = entries.get(plan);
    if (entry) return entry;
    const cursor = cursorOf.get(plan);
    if (!cursor) return undefined;
    entry = { dirty: cursor[0] === 1, knowledgePos: cursor[1], lastPos: cursor[2], blocks: {} };
    entries.set(plan, entry);
    return entry;
  };

  const blocksOf = (entry: PlanEntry, plan: string, table: BlockTable): Blocks => {
    let blocks = entry.blocks[table];
    if (blocks) return blocks;
    blocks = { firsts: [], rowids: [], bytes: [] };
    for (const [first, rowid] of tables[table].blocksOf.iterate(plan)) {
      blocks.firsts.push(first);
      blocks.rowids.push(rowid);
      blocks.bytes.push(undefined);
    }
    entry.blocks[table] = blocks;
    return blocks;
  };

  /** One chunk of plans with their blocks at `at`, in one read transaction: cursors, blocks and bytes of one state of the tables. */
  const chunkAt = db.transaction((table: BlockTable, at: number, plansOfChunk: string[]): PlanBlockAt[] => {
    const rows: PlanBlockAt[] = [];
    const missing: { blocks: Blocks; index: number; row: PlanBlockAt }[] = [];
    for (const plan of plansOfChunk) {
      const entry = entryOf(plan);
      if (!entry) continue;
      const blocks = blocksOf(entry, plan, table);
      const index = lastAtOrBefore(blocks.firsts, at);
      const row: PlanBlockAt = { plan, dirty: entry.dirty, knowledgePos: entry.knowledgePos, lastPos: entry.lastPos, bytes: undefined };
      if (index >= 0) {
        row.bytes = blocks.bytes[index];
        if (!row.bytes) missing.push({ blocks, index, row });
      }
      rows.push(row);
    }
    if (missing.length === 0) return rows;
    const fetched = new Map<number, Uint8Array>();
    for (const [rowid, block] of tables[table].bytesOf.iterate(JSON.stringify(missing.map((m) => m.blocks.rowids[m.index])))) {
      fetched.set(rowid, block);
    }
    for (const m of missing) {
      const bytes = fetched.get(m.blocks.rowids[m.index]!);
      if (!bytes) {
        // Another process's commit since this plan's blocks were listed, not a damaged history: the walk is asked again.
        if (dataVersion() !== version) throw new HistoryChanged('changed');
        throw new Error(`the history lacks block row ${m.blocks.rowids[m.index]} of plan ${m.row.plan}`);
      }
      m.blocks.bytes[m.index] = bytes;
      m.row.bytes = bytes;
      bytesKept += bytes.length;
    }
    return rows;
  });

  /** Every plan with a history, in plan id order. */
  const planIds = (): readonly string[] => (plans ??= planList.all());

  /**
   * Every plan with a history after `after` (up to `until`, when given), in plan id order, with its
   * block at `at` (the last one whose first point is at or before it): the rows the index query gave
   * (history-store.ts).
   * A walk sees one state of the history, as that query's did: a change meanwhile, by this
   * connection (a walk must not wait between rows) or another, makes it fail rather than mix two.
   */
  function* blocksAt(table: BlockTable, at: number, after: string, until?: string): IterableIterator<PlanBlockAt> {
    const now = dataVersion();
    if (now !== version) {
      clear();
      version = now;
    }
    makeRoom();
    const seen = changes;
    const changed = () => changes !== seen || dataVersion() !== version;
    const list = planIds();
    const end = until === undefined ? list.length : firstAfter(list, until, false);
    for (let from = firstAfter(list, after, false); from < end; from += chunk) {
      if (changed()) throw new HistoryChanged('changed');
      const rows = chunkAt(table, at, list.slice(from, Math.min(from + chunk, end)));
      // A commit by another connection just before this chunk's transaction began.
      if (changed()) throw new HistoryChanged('changed');
      yield* rows;
    }
  }

  return { blocksAt, planIds, forget, clear, bytesKept: () => bytesKept };
};
export type BlockDirectory = ReturnType<typeof createBlockDirectory>;

/** The index of the first name in a list in the store's order after `name` (at or after it when `orAt`). */
const firstAfter = (sorted: readonly string[], name: string, orAt: boolean): number => {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = comparePlanIds(sorted[mid]!, name);
    if (c < 0 || (!orAt && c === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

/** The index of the last value at or before `at` in an ascending list, or -1. */
const lastAtOrBefore = (sorted: number[], at: number): number => {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
};
