import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterEach, beforeEach, expect } from 'vitest';
import { buildApp } from '../../src/app/http/app.ts';
import { openSqliteEventStore, type SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { makeTempDir } from '../support/temp-dir.ts';

export const OPERATOR = { id: 'op-1', name: 'Test Operator', organisation: 'Test Trust', role: 'operator' };
/** The server clock in these tests: 23 November 2026, in the afternoon in London. */
export const CLOCK = () => new Date('2026-11-23T15:00:00.000Z');

/** A real app on a real SQLite file per test, driven through inject(). */
export const useApp = () => {
  const ctx = {} as { app: FastifyInstance; store: SqliteEventStore; dir: ReturnType<typeof makeTempDir> };
  beforeEach(async () => {
    ctx.dir = makeTempDir('ledger-http-');
    ctx.store = openSqliteEventStore({ file: ctx.dir.file('ledger.db') });
    ctx.app = await buildApp({ store: ctx.store, operator: OPERATOR, clock: CLOCK });
  });
  afterEach(async () => {
    await ctx.app.close();
    await ctx.store.close();
    ctx.dir.remove();
  });
  return ctx;
};

export const post = (app: FastifyInstance, url: string, payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url, payload: payload as InjectOptions['payload'], headers });

/** Registers a small plan like Dorset's: section 1, recommendation R1 and action 1.3 due October 2015. */
export const seedPlan = async (app: FastifyInstance, planId = 'dorset') => {
  const ok = (r: { statusCode: number; body: string }) => expect(r.statusCode, r.body).toBe(201);
  ok(
    await post(app, '/plans', {
      planId,
      title: 'Dorset Crisis Care Concordat',
      kind: 'crisis-care-concordat',
      owner: 'Dorset CCG',
      effectiveOn: '2015-03',
    }),
  );
  ok(await post(app, `/plans/${planId}/sections`, { sectionRef: '1', title: 'Access to Support Before Crisis', effectiveOn: '2015-03' }));
  ok(await post(app, `/plans/${planId}/recommendations`, { ref: 'R1', text: 'Better information about services', effectiveOn: '2015-03' }));
  ok(
    await post(app, `/plans/${planId}/actions`, {
      ref: '1.3',
      text: 'Mapping Services to provide good information about services',
      sectionRef: '1',
      recommendationRefs: ['R1'],
      leadOrganisations: ['Local Authorities', 'Dorset CCG'],
      due: { kind: 'date', date: '2015-10', wording: 'October 2015' },
      effectiveOn: '2015-03',
    }),
  );
};

/** Asserts an RFC 9457 problem with the given status and stable code. */
export const expectProblem = (
  response: { statusCode: number; headers: Record<string, unknown>; json: () => unknown },
  status: number,
  code: string,
) => {
  expect(response.statusCode).toBe(status);
  expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const body = response.json() as Record<string, unknown>;
  expect(body).toMatchObject({ status, code, type: expect.stringContaining(code) });
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/); // never a stack trace
  return body;
};
