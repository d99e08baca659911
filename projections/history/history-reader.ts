import type { PlanLines } from '../plan-status/plan-lines.ts';
import { partsAt, type PartsAt } from './storage/block-codec.ts';
import type { HistoryStore, PlanBlockAt } from './storage/history-store.ts';
import { decodeLine, headerRetracted } from './line-codec.ts';
import { createKeptValues, REMEMBERED_VALUES } from './kept-values.ts';
import { HEADER, KNOWLEDGE } from './parts.ts';
import { HistoryChanged } from './storage/history-changed.ts';
import { comparePlanIds, isAfter, isWithin } from '../plan-id-order.ts';

/** Parts in the order they were created, as the document keeps them. */
const byFirstPosition = (at: PartsAt) => (a: number, b: number) => at.firstPos[a]! - at.firstPos[b]!;

/** A plan's block as read, with the bytes that hold its lines. */
type Row = PlanBlockAt & { bytes: Uint8Array };
const hasBytes = (row: PlanBlockAt): row is Row => row.bytes !== undefined;

/**
 * A walk over the plans' blocks, walked again when the history changed under it (another process
 * committed to the read store meanwhile: sqlite/block-directory.ts), a few times at most. A walk
 * takes its rows before anything is decoded, so walking again loses nothing.
 */
const WALKS = 3;
const walkAgainIfChanged = <T>(walk: () => T): T => {
  for (let n = 1; ; n++) {
    try {
      return walk();
    } catch (error) {
      if (!(error instanceof HistoryChanged) || error.what !== 'changed' || n >= WALKS) throw error;
    }
  }
};

/** Every plan's lines at a point in plan-id order, decoded as they are walked; each walk decodes them again. */
export type PlansAt = Iterable<PlanLines>;

interface Found {
  plan: string;
  bytes: Uint8Array;
  parts: PartsAt;
  knowledgePos: number;
}

/**
 * Reads every plan's lines at a point on one clock from the history (history-store.ts): one
 * block per plan, and of it only the lines standing at the point, decoded with the values they
 * name. Values are read from the store the first time a read needs them and kept; a read that
 * meets values not yet kept reads them all at once and decodes again.
 *
 * The lines now (the live lists and reports) are kept decoded between reads, each plan's read
 * again once the runner has written it (`forget`): a cache of this process, rebuilt from the
 * read store whenever it is dropped. Lines handed out are shared between reads: no view changes them.
 */
export const createHistoryReader = (store: HistoryStore, { rememberedValues = REMEMBERED_VALUES } = {}) => {
  // The lines now, by plan, in plan id order; plans written since they were read wait in `stale`.
  let live: Map<string, PlanLines | undefined> | undefined;
  let liveOrder: string[] = [];
  const stale = new Set<string>();
  let generation = store.generation();
  const kept = createKeptValues(store, generation, rememberedValues);
  const value = kept.value;

  /** A plan's lines from its parts at the point, or undefined when its header does not count there (not registered yet, or retracted). */
  const linesOf = ({ plan, bytes, parts: at, knowledgePos }: Found): PlanLines | undefined => {
    const header = at.parts.indexOf(HEADER);
    if (header < 0 || at.line[header]! < 0) return undefined;
    const detailValues = kept.detailValues();
    const h = decodeLine(HEADER, bytes, at.line[header]!, value, detailValues);
    if (h.part !== 'h' || h.line.retracted) return undefined;
    let position = knowledgePos;
    const shown: number[] = [];
    // A block lists its parts in the order they were created (block-codec.ts); one written before it did is sorted here.
    let inOrder = true;
    for (let i = 0; i < at.parts.length; i++) {
      if (!at.present[i]) continue;
      if (at.lastPos[i]! > position) position = at.lastPos[i]!;
      if (at.line[i]! >= 0 && i !== header && at.parts[i] !== KNOWLEDGE) {
        if (shown.length > 0 && at.firstPos[shown.at(-1)!]! > at.firstPos[i]!) inOrder = false;
        shown.push(i);
      }
    }
    if (!inOrder) shown.sort(byFirstPosition(at));
    const { retracted: _retracted, ...fields } = h.line;
    const lines: PlanLines = { planId: plan, ...fields, position, actions: [], recommendations: [] };
    for (const i of shown) {
      const decoded = decodeLine(at.parts[i]!, bytes, at.line[i]!, value, detailValues);
      if (decoded.part === 'a') lines.actions.push(decoded.line);
      else if (decoded.part === 'r') lines.recommendations.push(decoded.line);
    }
    return lines;
  };

  /**
   * The plans of some rows, decoded one at a time as the caller walks them. When a plan names
   * values not kept yet, the rows from it on are decoded once only to learn which (what they
   * make is dropped at once), the values read in one query, and the walk goes on: a cold read
   * costs what `decode` does, a warm one nothing more.
   */
  function* decodeEach(rows: Row[], clock: 'ledger' | 'business', at: number, read: number): Generator<PlanLines> {
    kept.makeRoom();
    for (let i = 0; i < rows.length; i++) {
      // A walk may wait between plans (a page folding others in): another read may have met a reset since.
      if (generation !== read) throw new HistoryChanged('rebuilt');
      const f = find(rows[i]!, at, clock);
      if (!f) continue;
      let lines = linesOf(f);
      if (kept.lacksAny()) {
        for (let j = i + 1; j < rows.length; j++) {
          const later = find(rows[j]!, at, clock);
          if (later) linesOf(later);
        }
        kept.readMissing(read);
        lines = linesOf(f);
        if (kept.lacksAny()) throw new Error(`the history's table of values lacks ids ${kept.lacking().slice(0, 5).join(', ')}`);
      }
      if (lines) yield lines;
    }
  }

  /** The block's parts at the point, or undefined when the plan does not count there (not registered yet). */
  const find = (row: PlanBlockAt, at: number, clock: 'ledger' | 'business'): Found | undefined => {
    if (!row.bytes) return undefined;
    const parts = partsAt(row.bytes, at);
    const header = parts.parts.indexOf(HEADER);
    if (header < 0 || parts.line[header]! < 0) return undefined;
    return { plan: row.plan, bytes: row.bytes, parts, knowledgePos: clock === 'business' ? row.knowledgePos : -1 };
  };

  /** Whether a plan is in the lists at the point: registered by then, and not retracted there. */
  const listed = (row: PlanBlockAt, at: number, clock: 'ledger' | 'business'): boolean => {
    const f = find(row, at, clock);
    return f !== undefined && !headerRetracted(f.bytes, f.parts.line[f.parts.parts.indexOf(HEADER)]!);
  };

  /**
   * Plans in id order after `after` (and up to `until`, when given) with their lines at the point,
   * up to `limit` of those in the lists there (registered, not retracted). Named in `toFold` instead, for the caller to fold
   * (business clock only): plans whose business lines wait to be worked out again, and, given
   * `recordedBy` (a ledger position), plans with events after it — their business lines as
   * known now are not those known then. A plan to fold may turn out not to be listed, so it
   * does not count towards the limit: the page then names every plan to fold that comes before
   * its last plan, and the caller merges them in (plans-one-by-one.ts).
   *
   * `generation`, when given, is the history's generation the caller read its position in: a
   * history reset since (a rebuild, by this process or another) refuses the read rather than
   * read the new history at a position of the old.
   *
   * The plans are decoded as the caller walks them, one at a time (`PlansAt`): a view over every
   * plan keeps only its figures, so each plan's lines are garbage before the next is made and
   * the collector never moves them. Holding the ~50,000 lines of a read at once, the read spent
   * a quarter of its time in the collector (docs/projections.md). The blocks are read first: the
   * store answers nothing else while a query is walked.
   */
  const linesAt = (
    clock: 'ledger' | 'business',
    at: number,
    page: { after?: string | undefined; limit?: number | undefined; until?: string | undefined } = {},
    { recordedBy = Number.POSITIVE_INFINITY, generation: readAt }: { recordedBy?: number; generation?: number } = {},
  ): { plans: PlansAt; toFold: string[] } => {
    checkGeneration();
    const read = generation;
    if (readAt !== undefined && readAt !== read) throw new HistoryChanged('rebuilt');
    const toFold: string[] = [];
    const limit = page.limit ?? Number.POSITIVE_INFINITY;
    const rows = rowsOf(read, () => {
      toFold.length = 0;
      const found: Row[] = [];
      let counted = 0;
      for (const row of clock === 'ledger'
        ? store.ledgerBlocksAt(at, page.after, page.until)
        : store.businessBlocksAt(at, page.after, page.until)) {
        if (counted >= limit) break;
        if (clock === 'business' && (row.dirty || row.lastPos > recordedBy)) {
          toFold.push(row.plan);
          continue;
        }
        if (!hasBytes(row)) continue;
        found.push(row);
        // Only a page needs to know, before decoding, which plans are listed at the point.
        if (limit !== Number.POSITIVE_INFINITY && listed(row, at, clock)) counted++;
      }
      return found;
    });
    return { plans: { [Symbol.iterator]: () => decodeEach(rows, clock, at, read) }, toFold };
  };

  /**
   * A walk's rows, refused when they may be of a history reset since `read` (by another process: the
   * reset commits between this process's look at the generation and the walk). Their ids would name
   * other values than those kept. The walk sees one state of the history, so a generation still
   * `read` after it means that state was `read`'s.
   */
  const rowsOf = <T>(read: number, walk: () => T): T => {
    const rows = walkAgainIfChanged(walk);
    if (store.generation() !== read) throw new HistoryChanged('rebuilt');
    return rows;
  };

  /** Forgets everything kept when the history was reset since (by this process or another sharing the read store). */
  const checkGeneration = () => {
    const now = store.generation();
    if (now === generation) return;
    generation = now;
    kept.reset(now);
    live = undefined;
    stale.clear();
  };

  /** Every plan's lines now, in id order after `after` and up to `until`, at most `limit`. */
  const liveLines = (page: { after?: string | undefined; limit?: number | undefined; until?: string | undefined } = {}): PlanLines[] => {
    checkGeneration();
    if (!live) {
      const found = rowsOf(generation, () => [...store.ledgerBlocksAt(Number.POSITIVE_INFINITY)]);
      const lines = [...decodeEach(found.filter(hasBytes), 'ledger', Number.POSITIVE_INFINITY, generation)];
      live = new Map(found.map((row) => [row.plan, undefined]));
      for (const l of lines) live.set(l.planId, l);
      liveOrder = [...live.keys()];
      stale.clear();
    } else if (stale.size > 0) {
      const again = [...stale];
      stale.clear();
      const rows = rowsOf(generation, () => again.map((plan) => store.latestLedgerBlockOf(plan)).filter((row) => row !== undefined));
      const lines = [...decodeEach(rows.filter(hasBytes), 'ledger', Number.POSITIVE_INFINITY, generation)];
      let added = false;
      for (const plan of again) {
        if (!live.has(plan)) added = true;
        live.set(plan, undefined);
      }
      for (const l of lines) live.set(l.planId, l);
      if (added) liveOrder = [...live.keys()].sort(comparePlanIds);
    }
    const out: PlanLines[] = [];
    const limit = page.limit ?? Number.POSITIVE_INFINITY;
    for (const plan of liveOrder) {
      if (out.length >= limit) break;
      if (!isAfter(plan, page.after)) continue;
      if (!isWithin(plan, page.until)) break;
      const l = live.get(plan);
      if (l) out.push(l);
    }
    return out;
  };

  return {
    linesAt,
    liveLines,
    /** Every plan with a history, in plan id order: where a read may be split (as this process last read the list). */
    planIds: () => store.planIds(),
    /** Plans the runner has written since their lines were read: read again before the next live read. */
    forget(plans: Iterable<string>) {
      if (!live) return;
      for (const plan of plans) stale.add(plan);
    },
    /** Another process sharing the read store wrote to it, naming no plans: every plan's lines are read again. */
    forgetAll() {
      live = undefined;
      stale.clear();
    },
  };
};
export type HistoryReader = ReturnType<typeof createHistoryReader>;
