import { describe, expect, it } from 'vitest';
import { checkChainsInOneSlice, chainRowsFromEvents } from '../../src/integrity/chain-rows-from-events.ts';
import { keptCheckpointFileFor } from '../../src/integrity/kept-checkpoint.ts';
import { createLedgerIntegrity } from '../../src/integrity/ledger-integrity.ts';
import type { IntegrityStore } from '../../src/integrity/port.ts';
import { createSqliteIntegrityStore } from '../../src/integrity/sqlite/integrity-store.ts';
import { openLedgerFile } from '../../src/store/sqlite/ledger-file.ts';
import { openAsAttacker, rowAt, seedPlans, useLedger } from './ledger-fixture.ts';

/**
 * A backend without a fast path of its own checks chains by reading its event store
 * (chain-rows-from-events.ts). Run over a SQLite ledger, that generic check must find exactly
 * what the SQLite path finds (everything but SQLite's own query columns).
 */
describe('verify with the chains read through the event-store port', () => {
  const ctx = useLedger();

  /** The ledger's integrity port with its chain check replaced by the generic one. */
  const viaEvents = async <T>(run: (ledger: ReturnType<typeof createLedgerIntegrity>) => Promise<T>): Promise<T> => {
    const sqlite = createSqliteIntegrityStore({ db: openLedgerFile(ctx.file), file: ctx.file });
    const integrity: IntegrityStore = {
      ...sqlite,
      verification: (check) =>
        sqlite.verification((view) =>
          check({ ...view, checkChains: (request) => checkChainsInOneSlice(chainRowsFromEvents(ctx.store), request) }),
        ),
    };
    const ledger = createLedgerIntegrity({
      integrity,
      events: ctx.store,
      key: ctx.key,
      keptCheckpointFile: keptCheckpointFileFor(ctx.file),
    });
    try {
      return await run(ledger);
    } finally {
      await ledger.close();
      await sqlite.close();
    }
  };

  const seedAndSign = async () => {
    await seedPlans(ctx.store, 6, 'first');
    await ctx.ledger.checkpointNow();
    await seedPlans(ctx.store, 6, 'second');
    await ctx.ledger.checkpointNow();
  };

  it('passes a sound ledger with the same report as the SQLite path', async () => {
    await seedAndSign();
    const generic = await viaEvents((ledger) => ledger.verify());
    expect(generic).toMatchObject({ ok: true, eventsChecked: 36, streamsChecked: 3, checkpointsChecked: 2, treeSize: 36 });
    expect(generic).toEqual(await ctx.ledger.verify());
  });

  it.each([
    [
      'one changed byte of an event',
      (db: ReturnType<typeof openAsAttacker>) => {
        const { body } = rowAt(db, 7);
        const at = body.indexOf('"title":"') + '"title":"'.length;
        db.prepare('UPDATE events SET body = ? WHERE position = 7').run(`${body.slice(0, at)}X${body.slice(at + 1)}`);
      },
    ],
    ['a deleted event', (db: ReturnType<typeof openAsAttacker>) => db.exec('DELETE FROM events WHERE position = 20')],
  ])('names %s where the SQLite path does', async (_, attack) => {
    await seedAndSign();
    const db = openAsAttacker(ctx.file);
    attack(db);
    db.close();
    const generic = await viaEvents((ledger) => ledger.verify());
    const sqlite = await ctx.ledger.verify();
    expect(generic.ok).toBe(false);
    expect(generic.failure).toEqual(sqlite.failure);
    expect(generic.eventsChecked).toBe(sqlite.eventsChecked);
  });
});
