import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app/http/app.ts';
import type { EventStore } from '../../src/store/port.ts';
import { useSqliteStores } from '../support/sqlite-stores.ts';
import { DEVON, NOW, OPERATOR, seed } from './import-support.ts';

/**
 * Two service instances over one SQLite ledger file, each with its own store, command path and
 * caches, as two processes sharing a data directory have. The seam is the second instance's
 * store: just before it appends the import it planned, the first instance imports the same
 * file through its own POST /imports. Both planned against the empty plan, so both batches carry
 * the same command id, and the second append meets the first's result in the real ledger.
 */
describe('POST /imports of one file by two instances at once', () => {
  const stores = useSqliteStores();
  const apps: FastifyInstance[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  const instance = async (store: EventStore) => {
    const app = await buildApp({ store, operator: OPERATOR, clock: () => NOW });
    apps.push(app);
    return app;
  };
  const importDevon = (app: FastifyInstance) =>
    app.inject({ method: 'POST', url: '/imports', payload: { fileName: DEVON, content: seed(DEVON).toString('utf8') } });

  it('answers the one that wrote 201 and the other 200 with Idempotent-Replayed and nothing recorded, writing the plan once', async () => {
    const firstStore = stores.open();
    const secondStore = stores.open();
    const first = await instance(firstStore);
    let firstAnswer: Awaited<ReturnType<typeof importDevon>> | undefined;
    let countAfterFirst: number | undefined;
    const second = await instance(
      Object.assign(Object.create(secondStore) as EventStore, {
        append: async (request: Parameters<EventStore['append']>[0]) => {
          if (!firstAnswer) {
            firstAnswer = await importDevon(first);
            countAfterFirst = await secondStore.count();
          }
          return secondStore.append(request);
        },
      }),
    );

    const secondAnswer = await importDevon(second);

    expect(firstAnswer?.statusCode, firstAnswer?.body).toBe(201);
    expect(countAfterFirst).toBe(7);
    expect(secondAnswer.statusCode, secondAnswer.body).toBe(200);
    expect(firstAnswer?.json()).toMatchObject({ events: 7, replayed: false, recorded: { recommendations: 3, updates: 3 } });
    expect(firstAnswer?.headers['idempotent-replayed']).toBeUndefined();

    expect(secondAnswer.headers['idempotent-replayed']).toBe('true');
    const body = secondAnswer.json();
    expect(body).toMatchObject({ replayed: true, events: 0, position: firstAnswer?.json().position });
    expect(Object.values(body.recorded as Record<string, number>).every((n) => n === 0)).toBe(true);
    expect(await secondStore.count()).toBe(countAfterFirst);
  });
});
