import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app/http/app.ts';
import { InProcessKurrentDBStandIn } from '../store/kurrentdb/stand-in/in-process-kurrentdb-stand-in.ts';
import { openKurrentEventStore } from '../../src/store/kurrentdb/kurrentdb-event-store.ts';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { CLOCK, expectProblem, OPERATOR, post } from './app-harness.ts';

describe('a ledger store that does not answer (KurrentDB adapter on the in-process stand-in, not KurrentDB)', () => {
  it('is answered 503 store-unavailable with Retry-After, never 500, writes nothing, and the next try works', async () => {
    const dir = makeTempDir('ledger-http-');
    const engine = new InProcessKurrentDBStandIn();
    const store = await openKurrentEventStore({
      client: engine,
      address: 'db:2113',
      indexFile: dir.file('positions.db'),
      ownsClient: false,
      onFollowError: () => undefined,
    });
    const app = await buildApp({ store, operator: OPERATOR, clock: CLOCK });
    try {
      const plan = { planId: 'dorset', title: 'Dorset plan', kind: 'crisis-care-concordat', owner: 'Dorset CCG', effectiveOn: '2015-03' };
      engine.goOffline();
      const refused = await post(app, '/plans', plan, { 'idempotency-key': 'register-dorset' });
      const body = expectProblem(refused, 503, 'store-unavailable');
      expect(refused.headers['retry-after']).toBe('1');
      expect(JSON.stringify(body)).not.toMatch(/db:2113|UNAVAILABLE/);
      expectProblem(await app.inject({ method: 'GET', url: '/plans/dorset/events' }), 503, 'store-unavailable');
      engine.goOnline();
      expect(await store.count()).toBe(0);
      const retried = await post(app, '/plans', plan, { 'idempotency-key': 'register-dorset' });
      expect(retried.statusCode, retried.body).toBe(201);
      expect(await store.count()).toBe(1);
    } finally {
      await app.close();
      await store.close();
      dir.remove();
    }
  }, 20_000);
});

describe('an embedded ledger file another process keeps locked', () => {
  it('is answered 503 store-unavailable with Retry-After, never 500, writes nothing, and the next try works', async () => {
    const dir = makeTempDir('ledger-http-');
    const store = openSqliteEventStore({ file: dir.file('ledger.db'), busyTimeoutMs: 100 });
    const app = await buildApp({ store, operator: OPERATOR, clock: CLOCK });
    // Another process sharing the file holds its write lock past the busy timeout.
    const other = new Database(dir.file('ledger.db'));
    try {
      const plan = { planId: 'dorset', title: 'Dorset plan', kind: 'crisis-care-concordat', owner: 'Dorset CCG', effectiveOn: '2015-03' };
      other.exec('BEGIN IMMEDIATE');
      const refused = await post(app, '/plans', plan, { 'idempotency-key': 'register-dorset' });
      const body = expectProblem(refused, 503, 'store-unavailable');
      expect(refused.headers['retry-after']).toBe('1');
      expect(JSON.stringify(body)).not.toMatch(/SQLITE_BUSY/);
      other.exec('ROLLBACK');
      expect(await store.count()).toBe(0);
      const retried = await post(app, '/plans', plan, { 'idempotency-key': 'register-dorset' });
      expect(retried.statusCode, retried.body).toBe(201);
      expect(await store.count()).toBe(1);
    } finally {
      other.close();
      await app.close();
      await store.close();
      dir.remove();
    }
  });
});
