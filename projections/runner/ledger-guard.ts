import type { EventStore } from '../../src/store/port.ts';
import type { BuiltFromVerdict, ReadStore } from './read-store.ts';

/**
 * The read store lives in the data dir, the ledger may not: LEDGER_STORE can point the same data
 * dir at another ledger (SQLite to KurrentDB, another engine, another namespace), and a ledger
 * can be replaced or restored from an older copy. Views built from one ledger would then be
 * served as views of another, and catch-up would skip that ledger's first events as "already
 * applied". So the read store records which ledger it was built from (its first event's chain
 * hash, which covers the event id: two ledgers never share it, a copy made by `ledger copy`
 * keeps it) and, before any catch-up, views that do not belong to this ledger are dropped and
 * rebuilt, with one line saying why.
 */
export interface LedgerGuardResult {
  /** Why the views were dropped; undefined when they were kept. */
  rebuiltBecause?: string;
}

const short = (hash: string) => hash.slice(0, 12);

const firstEventHash = async (store: EventStore): Promise<string | undefined> => {
  for await (const event of store.readAll({ fromPosition: 0n, limit: 1 })) return event.hash;
  return undefined;
};

/**
 * Whether views built from `recorded`, reaching `furthest` now, are views of the ledger whose first
 * event hash is `first`. `aheadOf` is set when the views reached past the ledger's end: their
 * furthest checkpoint was read before the ledger's head, and a checkpoint only ever names an
 * event the ledger had, so views further than the head read after it are of a longer ledger.
 */
const judge =
  (first: string | undefined, aheadOf: { furthest: bigint; head: bigint } | undefined) =>
  (recorded: string | undefined, furthest: bigint): BuiltFromVerdict => {
    // Nothing built yet: whatever is built from here on comes from this ledger.
    if (furthest < 0n) return recorded !== undefined && recorded === first ? { keep: true } : { keep: false };
    if (recorded === undefined) {
      return { keep: false, reason: 'it does not record which ledger it was built from (it was made by an earlier version)' };
    }
    if (first === undefined) {
      return { keep: false, reason: `it holds views of a ledger whose first event hash is ${short(recorded)}…, and this ledger is empty` };
    }
    if (first !== recorded) {
      const which = `first event hash ${short(recorded)}…), not this one (${short(first)}…)`;
      return { keep: false, reason: `it was built from another ledger (${which}` };
    }
    if (aheadOf) {
      const { furthest: reached, head } = aheadOf;
      return {
        keep: false,
        reason: `its views reach position ${reached} but this ledger ends at ${head} (was it restored from an older copy?)`,
      };
    }
    return { keep: true };
  };

/** Checks the read store against the ledger before a catch-up; drops every view that is not of this ledger. */
export const guardReadStoreLedger = async (readStore: ReadStore, store: EventStore): Promise<LedgerGuardResult> => {
  const furthest = readStore.furthestPosition();
  const first = await firstEventHash(store);
  const head = (await store.headPosition()) ?? -1n;
  const verdict = readStore.judgeBuiltFrom(judge(first, furthest > head ? { furthest, head } : undefined), first);
  if (verdict.keep || verdict.reason === undefined) return {};
  return { rebuiltBecause: `${readStore.file}: ${verdict.reason}; its views are dropped and rebuilt from the ledger` };
};
