import Database from 'better-sqlite3';
import { afterEach, beforeEach } from 'vitest';
import { hashEvent } from '../../src/integrity/event-hash.ts';
import { loadSigningKey, type LedgerSigningKey } from '../../src/integrity/signing-key.ts';
import type { LedgerIntegrity } from '../../src/integrity/ledger-integrity.ts';
import type { TreeDamage } from '../../src/integrity/tree-index.ts';
import { openLedgerIntegrity } from '../support/sqlite-integrity.ts';
import { openSqliteEventStore, type SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { makeEvents } from '../support/events.ts';
import { makeTempDir } from '../support/temp-dir.ts';

export const PLANS = ['plan-dorset', 'plan-devon', 'plan-kent'] as const;

/**
 * A real ledger file with three plans' streams interleaved (revision r of each plan is
 * appended in turn), the integrity services over it, and the ledger's own key.
 */
export const useLedger = () => {
  const ctx = {} as {
    dir: ReturnType<typeof makeTempDir>;
    file: string;
    store: SqliteEventStore;
    ledger: LedgerIntegrity;
    key: LedgerSigningKey;
    /** Merkle node cache damage the integrity services found and rebuilt, in order. */
    damage: TreeDamage[];
  };
  beforeEach(() => {
    ctx.dir = makeTempDir('ledger-integrity-');
    ctx.file = ctx.dir.file('ledger.db');
    ctx.store = openSqliteEventStore({ file: ctx.file });
    ctx.key = loadSigningKey({ dataDir: ctx.dir.path }).key;
    ctx.damage = [];
    ctx.ledger = openLedgerIntegrity({ file: ctx.file, key: ctx.key, events: ctx.store, onTreeDamage: (d) => ctx.damage.push(...d) });
  });
  afterEach(async () => {
    await ctx.ledger.close();
    await ctx.store.close();
    ctx.dir.remove();
  });
  return ctx;
};

/** Appends `rounds` events to each plan, two events per append, round-robin. */
export const seedPlans = async (store: SqliteEventStore, rounds: number, tag = 'seed') => {
  for (let r = 0; r < rounds; r += 2) {
    for (const stream of PLANS) {
      const commandId = `${tag}-${stream}-${r}`;
      await store.append({ stream, events: makeEvents(2, commandId), expectedRevision: 'any', commandId });
    }
  }
};

/**
 * What an attacker with the file does: opens it directly and drops the append-only triggers,
 * and puts them back on close so as to leave no mark (`leaveTriggersDropped` does not).
 * The triggers stop accidents; only the hashes and signatures stop this.
 */
export const openAsAttacker = (file: string, options: { leaveTriggersDropped?: boolean } = {}) => {
  const db = new Database(file);
  const triggers = db.prepare<[], { name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all();
  for (const { name } of triggers) db.exec(`DROP TRIGGER ${name}`);
  const close = db.close.bind(db);
  db.close = () => {
    if (!options.leaveTriggersDropped) for (const { sql } of triggers) db.exec(sql);
    return close();
  };
  return db;
};

export const rowAt = (db: Database.Database, position: number) =>
  db
    .prepare<[number], { stream: string; revision: number; body: string; hash: string }>(
      'SELECT stream, revision, body, hash FROM events WHERE position = ?',
    )
    .get(position)!;

/**
 * The attack chains alone cannot catch: a stream's title changed at `revision` and every hash
 * of the stream recomputed from the genesis, so each chain still holds. Only a signed
 * checkpoint kept somewhere the attacker cannot reach shows it.
 */
export const rewriteStreamWithFreshHashes = (db: Database.Database, stream: string, revision: number, title: string) => {
  const rows = db
    .prepare<[string], { position: number; revision: number; body: string }>(
      'SELECT position, revision, body FROM events WHERE stream = ? ORDER BY revision',
    )
    .all(stream);
  let previousHash = '0'.repeat(64);
  for (const row of rows) {
    const event = JSON.parse(row.body) as { data: Record<string, unknown> };
    if (row.revision === revision) event.data['title'] = title;
    const hash = hashEvent(event as never, { stream, revision: row.revision, previousHash });
    db.prepare('UPDATE events SET body = ?, hash = ? WHERE position = ?').run(JSON.stringify(event), hash, row.position);
    previousHash = hash;
  }
};
