import type { LedgerFact } from '../ledger-fact.ts';
import type { PlanDoc } from '../plan-status/document.ts';
import { ALWAYS, factDay } from './business-days.ts';
import { businessChanges } from './business-settle.ts';
import { partHolding } from './corrected-part.ts';
import { storedBlock, noHistoryWrite, type HistoryReads, type HistoryWrite } from './storage/history-store.ts';
import type { LineHistoryWriter } from './storage/history-writer-port.ts';
import type { Interner } from './storage/interner.ts';
import {
  appendChanges,
  applyChange,
  BLOCK_CHANGES,
  blocksOf,
  stateAt,
  stateOfBase,
  type LineBlock,
  type LineChange,
  type LineState,
} from './storage/line-blocks.ts';
import { encodeLine, sameLine } from './line-codec.ts';
import { HEADER, KNOWLEDGE, partLine, partOf, partsOf, type PartKey } from './parts.ts';

/** What the history writer keeps per plan between events (stored as the plan's cursor). */
export interface HistoryCursor {
  /** The last position the history holds: a replayed event changes nothing. */
  lastPos: number;
  /** Per part, the latest business day among its facts: an earlier one means its business lines must be worked out again. */
  maxDay: Record<PartKey, number>;
  knowledgePos: number;
  /** Parts whose business lines wait to be worked out again from the ledger ('all' when a correction's part is not known). */
  dirty: PartKey[] | 'all';
}

interface PlanHistory {
  cursor: HistoryCursor;
  /** The plan's lines now (the ledger clock at its last event). */
  lines: LineState;
  ledger: LineBlock | undefined;
  ledgerWrites: Map<number, LineBlock>;
  /** The business blocks from number `businessSeq` on, as changed since loaded (undefined: not loaded). */
  business: LineBlock[] | undefined;
  businessSeq: number;
  businessChanged: boolean;
  changed: boolean;
}

/** How many blocks from the end a business change is laid in at once; further back, its part is settled (insertBusiness). */
const FAR_BLOCKS = 8;

/**
 * Keeps the history of a plan's lines as the plan-status fold goes (history-store.ts): after
 * each event, the changed parts' lines on the ledger clock; on the business clock, a part's
 * fact that took effect no earlier than its others gives the part's line from that day on
 * (its line now). Anything else — a fact dated before another of its part, a correction —
 * marks the part, and `settle` works its business lines out again from the ledger.
 */
export const createHistoryWriter = (reads: HistoryReads, interner: Interner): LineHistoryWriter => {
  const plans = new Map<string, PlanHistory>();

  const load = (plan: string): PlanHistory => {
    let h = plans.get(plan);
    if (h) return h;
    const json = reads.cursor(plan);
    const ledger = reads.lastLedgerBlock(plan);
    h = {
      cursor: json ? (JSON.parse(json) as HistoryCursor) : { lastPos: -1, maxDay: {}, knowledgePos: -1, dirty: [] },
      lines: ledger ? stateAt(ledger, Number.POSITIVE_INFINITY) : new Map(),
      ledger,
      ledgerWrites: new Map(),
      business: undefined,
      businessSeq: 0,
      businessChanged: false,
      changed: false,
    };
    plans.set(plan, h);
    return h;
  };

  const pushLedger = (h: PlanHistory, change: LineChange) => {
    const written = appendChanges(h.ledger, [change]);
    for (const block of written) h.ledgerWrites.set(block.seq, block);
    h.ledger = written.at(-1);
    applyChange(h.lines, change);
  };

  /** The plan's business blocks that may hold changes at `day` or later, as this writer has them. */
  const businessFrom = (h: PlanHistory, plan: string, day: number): LineBlock[] => {
    if (h.business === undefined) {
      h.business = reads.businessBlocksFrom(plan, day);
      h.businessSeq = h.business[0]?.seq ?? 0;
    } else if (h.businessSeq > 0 && day <= h.business[0]!.first) {
      const earlier = reads.businessBlocksFrom(plan, day).filter((b) => b.seq < h.businessSeq);
      h.business = [...earlier, ...h.business];
      h.businessSeq = h.business[0]?.seq ?? 0;
    }
    return h.business;
  };

  /** Lays business changes over the blocks from their earliest day on, replacing the named parts' changes. */
  const rewriteBusiness = (h: PlanHistory, plan: string, changes: LineChange[], replacing: ReadonlySet<PartKey> | 'all') => {
    if (changes.length === 0 && replacing !== 'all' && replacing.size === 0) return;
    const from = replacing === 'all' || replacing.size > 0 ? ALWAYS : changes[0]![0];
    const tail = businessFrom(h, plan, from);
    const start = tail.length > 0 ? stateOfBase(tail[0]!) : new Map();
    const replaced = new Set(changes.map(([day, part]) => `${day} ${part}`));
    const kept = tail
      .flatMap((b) => b.changes)
      .filter(([day, part]) => (replacing === 'all' ? false : !replacing.has(part)) && !replaced.has(`${day} ${part}`));
    const all = [...kept, ...changes].sort((a, b) => a[0] - b[0] || a[4] - b[4]);
    h.business = blocksOf(start, all, h.businessSeq);
    h.businessChanged = true;
  };

  /**
   * Lays one part's change on a day over the blocks, as rewriteBusiness would (replacing the
   * part's change on that day, after the changes it sorts with), but lays out again only the
   * blocks from the first one that changes: every block before it is full and keeps its base.
   * A fact recorded in business order comes here, so this runs for nearly every event. 'too-far'
   * when its day falls more than FAR_BLOCKS blocks back: nothing is laid, and the caller marks the part.
   */
  const insertBusiness = (h: PlanHistory, plan: string, change: LineChange): 'laid' | 'too-far' => {
    const [day, part, , , firstPos] = change;
    const tail = businessFrom(h, plan, day);
    // The usual case, laid in place (the writer owns its blocks until it stores them): laying the
    // last block's changes out again copied up to BLOCK_CHANGES of them per event.
    if (layInLast(tail, change)) {
      h.businessChanged = true;
      return 'laid';
    }
    // Only the blocks from the last one whose first change is before `day` can hold changes on
    // `day` or after it; the ones before it hold earlier days alone. Searching those few, not
    // the whole history, keeps an event's cost flat as the plan grows (a plan of 5,000 events
    // has some 80 blocks).
    let first = tail.length - 1;
    while (first > 0 && tail[first]!.first >= day) first--;
    first = Math.max(first, 0);
    // Far back in a long history, laying every later block out again (each base holds every part's line) costs more
    // than working the part's lines out once with the rest marked: a plan recorded action by action, each over years,
    // laid out most of its history again at every event, its rebuild quadratic in its length. Settled instead.
    if (tail.length - first > FAR_BLOCKS) return 'too-far';
    const all = tail.slice(first).flatMap((b) => b.changes);
    const same = all.findIndex(([d, p]) => d === day && p === part);
    if (same >= 0) all.splice(same, 1);
    let at = all.length;
    while (at > 0 && (all[at - 1]![0] > day || (all[at - 1]![0] === day && all[at - 1]![4] > firstPos))) at--;
    all.splice(at, 0, change);
    const from = first + Math.floor((same >= 0 ? Math.min(same, at) : at) / BLOCK_CHANGES);
    const changes = all.slice((from - first) * BLOCK_CHANGES);
    h.businessChanged = true;
    // The change leaves its block within BLOCK_CHANGES: the block's base stands, and only its
    // changes are new (laying it out again rebuilt its base, line by line).
    if (from < tail.length && changes.length <= BLOCK_CHANGES) {
      h.business = [...tail.slice(0, from), { seq: h.businessSeq + from, first: changes[0]![0], base: tail[from]!.base, changes }];
      return 'laid';
    }
    const start =
      from < tail.length ? stateOfBase(tail[from]!) : tail.length > 0 ? stateAt(tail.at(-1)!, Number.POSITIVE_INFINITY) : new Map();
    h.business = [...tail.slice(0, from), ...blocksOf(start, changes, h.businessSeq + from)];
    return 'laid';
  };

  /**
   * Lays a change into the plan's last business block in place when it falls there and the block
   * holds it: a day after the block's first (so every change of that day is in this block), and
   * room, or a change of its part that day to replace. It goes where insertBusiness would put it.
   */
  const layInLast = (tail: LineBlock[], change: LineChange): boolean => {
    const [day, part, , , firstPos] = change;
    const changes = tail.at(-1)?.changes;
    if (!changes || day <= changes[0]![0]) return false;
    const same = changes.findIndex(([d, p]) => d === day && p === part);
    if (same >= 0) changes.splice(same, 1);
    else if (changes.length >= BLOCK_CHANGES) return false;
    let at = changes.length;
    while (at > 0 && (changes[at - 1]![0] > day || (changes[at - 1]![0] === day && changes[at - 1]![4] > firstPos))) at--;
    changes.splice(at, 0, change);
    return true;
  };

  const markDirty = (h: PlanHistory, part: PartKey | 'all') => {
    if (h.cursor.dirty === 'all') return;
    if (part === 'all') h.cursor.dirty = 'all';
    else if (!h.cursor.dirty.includes(part)) h.cursor.dirty.push(part);
  };
  const isDirty = (h: PlanHistory, part: PartKey) => h.cursor.dirty === 'all' || h.cursor.dirty.includes(part);

  return {
    /** Records one event of a plan, given the plan's document after the event (undefined: the plan does not exist). */
    record(plan: string, fact: LedgerFact, evolved: unknown): void {
      const doc = evolved as PlanDoc | undefined;
      if (!doc) return;
      const h = load(plan);
      const pos = Number(fact.position);
      if (pos <= h.cursor.lastPos) return;
      h.changed = true;
      h.cursor.lastPos = pos;
      const part = partOf(fact);
      if (part === KNOWLEDGE) {
        // A correction changes the line of the part holding the event it corrects, and no other: its
        // overlay is laid on that event's items alone (plan-status/corrections.ts), as the business
        // lines below assume too. When that part is not known (the event is no longer held, or a
        // correction of a correction may have moved any) every part's line is compared with what it
        // was; a retraction or reinstatement changes the header's. Comparing every part at every
        // correction built and encoded each action's line again: at 5,000-event plans, with a
        // correction in forty events, more lines than the plan's other events together.
        const corrected =
          fact.type !== 'EntryCorrected'
            ? undefined
            : (fact.data.correctedType !== 'EntryCorrected' && partHolding(doc, fact.data.correctedEventId)) || 'all';
        for (const p of corrected === 'all' ? partsOf(doc) : [corrected ?? HEADER]) {
          const line = partLine(doc, p);
          const known = h.lines.get(p);
          const still = corrected === 'all' || corrected === p ? null : known?.line;
          const encoded = line ? encodeLine(line, interner.intern, still) : null;
          if (known && sameLine(known.line, encoded)) continue;
          pushLedger(h, [pos, p, encoded, known?.lastPos ?? pos, known?.firstPos ?? pos]);
        }
        pushLedger(h, [pos, KNOWLEDGE, null, pos, h.lines.get(KNOWLEDGE)?.firstPos ?? pos]);
        h.cursor.knowledgePos = pos;
        markDirty(h, corrected ?? HEADER);
        return;
      }
      const line = partLine(doc, part);
      const known = h.lines.get(part);
      // Any other event adds to an action's revisions and late records, never changes them.
      const encoded = line ? encodeLine(line, interner.intern, known?.line) : null;
      const firstPos = known?.firstPos ?? pos;
      pushLedger(h, [pos, part, known && sameLine(known.line, encoded) ? 0 : encoded, pos, firstPos]);
      if (isDirty(h, part)) return;
      // Its own day: a fact dated before its action's agreement (which counts from then,
      // subjects-first.ts) is dated before another of its part, and marks it to be settled.
      const day = factDay(fact);
      if (day < (h.cursor.maxDay[part] ?? Number.NEGATIVE_INFINITY)) return markDirty(h, part);
      h.cursor.maxDay[part] = day;
      if (insertBusiness(h, plan, [day, part, encoded, pos, firstPos]) === 'too-far') markDirty(h, part);
    },

    /** Plans with parts waiting for `settle`, among those this writer holds. */
    dirty: (): string[] => [...plans].filter(([, h]) => h.cursor.dirty === 'all' || h.cursor.dirty.length > 0).map(([plan]) => plan),

    /** Works out the marked parts' business lines of a plan again, from its facts up to the history's last position. */
    settle(plan: string, facts: readonly LedgerFact[]): void {
      const h = load(plan);
      const dirty = h.cursor.dirty;
      if (dirty !== 'all' && dirty.length === 0) return;
      const parts = dirty === 'all' ? 'all' : new Set(dirty);
      const { changes, maxDay } = businessChanges(
        facts.filter((f) => Number(f.position) <= h.cursor.lastPos),
        parts,
        interner.intern,
      );
      rewriteBusiness(h, plan, changes, parts);
      h.cursor.maxDay = dirty === 'all' ? maxDay : { ...h.cursor.maxDay, ...maxDay };
      h.cursor.dirty = [];
      h.changed = true;
    },

    /** Everything recorded since the last drain, to be written with the documents; forgets the plans it held. */
    drain(): HistoryWrite {
      const write = noHistoryWrite();
      for (const [plan, h] of plans) {
        if (!h.changed) continue;
        const dirty = h.cursor.dirty === 'all' || h.cursor.dirty.length > 0;
        write.cursors.push({ plan, cursor: JSON.stringify(h.cursor), dirty, knowledgePos: h.cursor.knowledgePos });
        for (const block of h.ledgerWrites.values()) write.ledgerBlocks.push({ plan, block: storedBlock(block) });
        if (h.businessChanged) write.business.push({ plan, fromSeq: h.businessSeq, blocks: h.business!.map(storedBlock) });
      }
      write.values = interner.drain();
      plans.clear();
      return write;
    },
  };
};
