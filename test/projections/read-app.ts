import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app/http/app.ts';
import { openReadModels, type ReadModels } from '../../projections/read-models.ts';
import { createPlanReader } from '../../projections/plan-reader.ts';
import type { SplitOptions } from '../../projections/every-plan/split-read.ts';
import type { ViewPool } from '../../projections/every-plan/view-pool.ts';
import { openSqliteEventStore, type SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { makeTempDir } from '../support/temp-dir.ts';

export const OPERATOR = { id: 'op-1', name: 'Sam Auditor', organisation: 'Dorset CCG', role: 'operator' };

/** A real ledger file, read store and app in a temp dir, with a clock the test moves by hand. */
export const openReadApp = async (
  options: {
    now?: string;
    readYourWritesTimeoutMs?: number;
    lookForMovesMs?: number;
    /** Read workers and how reads are split among them (projections/every-plan/). */
    split?: Pick<Parameters<typeof openReadModels>[0], 'readWorkers' | 'split' | 'onReadWorkerError'>;
  } = {},
) => {
  const dir = makeTempDir('ledger-projections-');
  let now = new Date(options.now ?? '2026-11-23T12:00:00.000Z');
  const clock = () => now;
  const store: SqliteEventStore = openSqliteEventStore({ file: dir.file('ledger.db') });
  const readModels: ReadModels = openReadModels({
    store,
    dataDir: dir.path,
    clock,
    ...(options.lookForMovesMs !== undefined && { runner: { lookForMovesMs: options.lookForMovesMs } }),
    ...options.split,
  });
  await readModels.runner.start();
  const app: FastifyInstance = await buildApp({
    store,
    operator: OPERATOR,
    clock,
    readModels: { ...readModels, readYourWritesTimeoutMs: options.readYourWritesTimeoutMs ?? 2000 },
  });
  let lastPosition = '0';
  /** POSTs a command and remembers its position, so the next read can wait for it. */
  const post = async (url: string, payload: object) => {
    const res = await app.inject({ method: 'POST', url, payload });
    if (res.statusCode !== 201) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    lastPosition = res.json().position;
    return res.json() as { position: string; eventIds: string[] };
  };
  /** GET with minPosition of the last write (read-your-writes), unless the query already says otherwise. */
  const get = (url: string) =>
    app.inject({ method: 'GET', url: url.includes('asOf=') ? url : `${url}${url.includes('?') ? '&' : '?'}minPosition=${lastPosition}` });
  return {
    app,
    store,
    readModels,
    dir,
    post,
    get,
    setNow: (iso: string) => void (now = new Date(iso)),
    close: async () => {
      await app.close();
      await readModels.close();
      await store.close();
      dir.remove();
    },
  };
};
export type ReadApp = Awaited<ReturnType<typeof openReadApp>>;

/**
 * Another plan reader over a read app's ledger and read store, with a view pool of the test's own
 * (projections/every-plan/): how a test sets the read workers' part of a read.
 */
export const readerWithPool = (r: ReadApp, viewPool: ViewPool, split: SplitOptions, now: string) =>
  createPlanReader({ store: r.store, readStore: r.readModels.readStore, clock: () => new Date(now), viewPool, split });
