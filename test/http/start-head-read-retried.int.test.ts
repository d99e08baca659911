import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openReadModels, type ReadModels } from '../../projections/read-models.ts';
import { untilViewsAtHead } from '../../src/app/views-at-head.ts';
import type { EventStore } from '../../src/store/port.ts';
import { openSqliteEventStore, type SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { generatePlanLedger } from '../support/plan-ledger-generator.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A real ledger file with a few plans, and its read models folded to its head, as a start leaves them. */
const foldedLedger = async () => {
  const dir = makeTempDir('ledger-start-head-');
  closers.push(() => dir.remove());
  const store: SqliteEventStore = openSqliteEventStore({ file: dir.file('ledger.db') });
  closers.push(() => store.close());
  await generatePlanLedger(store, { events: 300, plans: 3 });
  const readModels: ReadModels = openReadModels({ store, dataDir: dir.path });
  closers.push(() => readModels.close());
  await readModels.runner.start();
  return { store, readModels };
};

/** The real store, whose head the next `failures` reads fail to give as a busy SQLite file does (only at the port). */
const headFailing = (store: EventStore, failures: number) => {
  const seen = { failures: 0 };
  const wrapped: Pick<EventStore, 'headPosition'> = {
    headPosition: async () => {
      if (seen.failures < failures) {
        seen.failures++;
        throw new Database.SqliteError('database is locked', 'SQLITE_BUSY');
      }
      return store.headPosition();
    },
  };
  return { wrapped, seen };
};

describe("a start's read of the ledger head after its fold", () => {
  it('is tried again after a failure, as the fold is, and the start goes on to the views at the head, nothing written', async () => {
    const { store, readModels } = await foldedLedger();
    const count = await store.count();
    const { wrapped, seen } = headFailing(store, 1);
    const heard: unknown[] = [];
    await untilViewsAtHead({
      store: wrapped,
      runner: readModels.runner,
      stopped: new AbortController().signal,
      headReadFailed: (error) => heard.push(error),
    });
    expect(seen.failures).toBe(1);
    expect(heard).toEqual([expect.objectContaining({ code: 'SQLITE_BUSY' })]);
    expect(readModels.runner.position()).toBe(await store.headPosition());
    expect(await store.count()).toBe(count);
  });

  it('ends at once when the start is stopped while a failed read waits to be tried again', async () => {
    const { store, readModels } = await foldedLedger();
    const { wrapped } = headFailing(store, Number.POSITIVE_INFINITY);
    const stop = new AbortController();
    const started = Date.now();
    const waiting = untilViewsAtHead({
      store: wrapped,
      runner: readModels.runner,
      stopped: stop.signal,
      headReadFailed: () => stop.abort(),
    });
    await waiting;
    // The first wait before trying again is a second: a stop does not sit it out.
    expect(Date.now() - started).toBeLessThan(900);
  });
});
