import type { EventStore } from '../../src/store/port.ts';
import type { ReadStore } from './read-store.ts';

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

/** Why views at `furthest`, built from `recorded`, are not views of this ledger; undefined when they are. */
const mismatch = async (store: EventStore, recorded: string | undefined, furthest: bigint): Promise<string | undefined> => {
  if (recorded === undefined) return 'it does not record which ledger it was built from (it was made by an earlier version)';
  const first = await firstEventHash(store);
  if (first === undefined) return `it holds views of a ledger whose first event hash is ${short(recorded)}…, and this ledger is empty`;
  if (first !== recorded) return `it was built from another ledger (first event hash ${short(recorded)}…), not this one (${short(first)}…)`;
  const head = (await store.headPosition()) ?? -1n;
  if (furthest > head)
    return `its views reach position ${furthest} but this ledger ends at ${head} (was the ledger restored from an older copy?)`;
  return undefined;
};

/** Checks the read store against the ledger before a catch-up; drops every view that is not of this ledger. */
export const guardReadStoreLedger = async (readStore: ReadStore, store: EventStore): Promise<LedgerGuardResult> => {
  const furthest = readStore.furthestPosition();
  if (furthest < 0n) {
    // Nothing built yet: whatever is built from here on comes from this ledger.
    readStore.forgetAll();
    const first = await firstEventHash(store);
    if (first !== undefined) readStore.recordBuiltFrom(first);
    return {};
  }
  const reason = await mismatch(store, readStore.builtFrom(), furthest);
  if (reason === undefined) return {};
  readStore.forgetAll();
  const first = await firstEventHash(store);
  if (first !== undefined) readStore.recordBuiltFrom(first);
  return { rebuiltBecause: `${readStore.file}: ${reason}; its views are dropped and rebuilt from the ledger` };
};
