import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app/http/app.ts';
import { openSqliteEventStore, type SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { CLOCK, OPERATOR, post, seedPlan } from './app-harness.ts';

interface EventsPage {
  revision: number;
  events: { revision: number }[];
  nextFromRevision: number | null;
}

/**
 * `GET /plans/:planId/events` names a revision in its body and as its strong ETag: the events it lists
 * end there, however many are appended while it reads (by this instance or another on the ledger), so
 * one ETag never stands for two bodies.
 */
describe("a plan's events, read while the plan is written to", () => {
  // Pages of four rows, so that a read of the plan gives way to the event loop, and to the writes, between its pages.
  const ctx = {} as { app: FastifyInstance; store: SqliteEventStore; dir: ReturnType<typeof makeTempDir> };
  beforeEach(async () => {
    ctx.dir = makeTempDir('ledger-plan-events-');
    ctx.store = openSqliteEventStore({ file: ctx.dir.file('ledger.db'), pageSize: 4 });
    ctx.app = await buildApp({ store: ctx.store, operator: OPERATOR, clock: CLOCK });
  });
  afterEach(async () => {
    await ctx.app.close();
    await ctx.store.close();
    ctx.dir.remove();
  });

  it('lists the events up to the revision its body and ETag name, and pages to it', async () => {
    await seedPlan(ctx.app);
    let writing = true;
    const writer = (async () => {
      for (let n = 0; writing && n < 400; n++) {
        const res = await post(ctx.app, '/plans/dorset/actions/1.3/progress-updates', { narrative: `Update ${n}` });
        expect(res.statusCode, res.body).toBe(201);
      }
    })();
    const seen = new Set<number>();
    try {
      for (let read = 0; read < 60; read++) {
        const res = await ctx.app.inject('/plans/dorset/events');
        expect(res.statusCode).toBe(200);
        const page = res.json() as EventsPage;
        seen.add(page.revision);
        expect(res.headers.etag).toBe(`"${page.revision}"`);
        expect(page.events.at(-1)!.revision).toBe(page.revision);
        expect(page.events.map((e) => e.revision)).toEqual(page.events.map((_, i) => i));
        expect(page.nextFromRevision).toBeNull();
        // Paged, the last page ends at the revision its own body names.
        const first = (await ctx.app.inject('/plans/dorset/events?limit=3')).json() as EventsPage;
        expect(first.events.map((e) => e.revision)).toEqual([0, 1, 2]);
        expect(first.nextFromRevision).toBe(3);
      }
    } finally {
      writing = false;
      await writer;
    }
    // The plan grew while it was read: the reads met the writes.
    expect(seen.size).toBeGreaterThan(10);
  });
});
