import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../events/envelope.ts';
import { openSqliteEventStore, type SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { openWorkerLedgerReader } from '../../src/store/sqlite/worker-reader.ts';
import { pagesOfTypes, type WorkerLedgerReader } from '../../src/store/worker-reader.ts';
import { generatePlanLedger } from '../support/plan-ledger-generator.ts';
import { makeTempDir } from '../support/temp-dir.ts';

/** What a rebuild's worker threads read of a SQLite ledger, against the store's own reads of the same file. */
describe('a worker thread reading the SQLite ledger', () => {
  const dir = makeTempDir('ledger-worker-reader-');
  let store: SqliteEventStore;
  let reader: WorkerLedgerReader | undefined;
  let ledger: StoredEvent[];

  beforeAll(async () => {
    store = openSqliteEventStore({ file: dir.file('ledger.db') });
    await generatePlanLedger(store, { events: 1_200, plans: 4, perAppend: 20, spreadBusinessDates: true });
    ledger = [];
    for await (const event of store.readAll()) ledger.push(event);
    reader = openWorkerLedgerReader({ file: store.file });
  });
  afterAll(async () => {
    reader?.close();
    await store?.close();
    dir.remove();
  });

  /** Every event of readTypes over [from, to], `limit` at a time, walked as the rebuild's first worker walks them. */
  const walkTypes = async (from: bigint, to: bigint, types: string[], limit: number) => {
    const read: StoredEvent[] = [];
    for await (const page of pagesOfTypes(reader!, from, to, types, limit)) {
      expect(page.length).toBeLessThanOrEqual(limit);
      read.push(...page);
    }
    return read;
  };

  it('reads the events of the types asked for, in ledger order, page by page within the positions given', async () => {
    const counts = new Map<string, number>();
    for (const event of ledger) counts.set(event.type, (counts.get(event.type) ?? 0) + 1);
    // Two types that both recur, so pages cross from one to the other.
    const types = [...counts]
      .sort((a, b) => b[1] - a[1])
      .map(([type]) => type)
      .slice(1, 3);
    expect(types).toHaveLength(2);
    const ofTypes = (wanted: string[]) => ledger.filter((e) => wanted.includes(e.type));
    // Both bounds on events of those types: they are included.
    const from = ofTypes(types)[10]!.position;
    const to = ofTypes(types).at(-10)!.position;
    const expected = ofTypes(types).filter((e) => e.position >= from && e.position <= to);
    expect(expected.length).toBeGreaterThan(50);
    expect([expected[0]!.position, expected.at(-1)!.position]).toEqual([from, to]);

    for (const limit of [7, expected.length, 5_000]) expect(await walkTypes(from, to, types, limit)).toEqual(expected);
    // Another set of types after the first is read with its own query.
    const one = [types[1]!];
    expect(await walkTypes(0n, BigInt(ledger.length), one, 7)).toEqual(ofTypes(one));
  });

  it('reads nothing for no types, or for a type the ledger does not hold', async () => {
    expect(await reader!.readTypes(0n, BigInt(ledger.length), [], 10)).toEqual([]);
    expect(await reader!.readTypes(0n, BigInt(ledger.length), ['NoSuchEvent'], 10)).toEqual([]);
  });
});
