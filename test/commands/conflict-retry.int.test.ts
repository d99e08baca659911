import { describe, expect, it } from 'vitest';
import { createCommandPath } from '../../src/commands/command-path.ts';
import { WrongExpectedRevision } from '../../src/store/port.ts';
import { useSqliteStores } from '../support/sqlite-stores.ts';

const actor = { id: 'u-1', name: 'Alex', organisation: 'NHS Test Trust', role: 'plan-manager' };
const ctx = { actor, commandId: 'c', freshCommandId: true, correlationId: 'c', provenance: { source: 'api' as const } };
const fresh = (i: number) => ({ ...ctx, commandId: `c-${i}`, correlationId: `c-${i}` });
const section = (i: number) => ({ type: 'AddSection' as const, data: { sectionRef: `s${i}`, title: `Section ${i}` } });

/**
 * Two command paths on two connections to one ledger file are two writers that know nothing
 * of each other's queue or cache, as two service processes are: every conflict between them
 * is another writer's append landing between a read and a write.
 */
describe('writers on one ledger retrying conflicts', () => {
  const stores = useSqliteStores();
  const twoWriters = (conflictRetryMs?: number) =>
    [stores.open(), stores.open()].map((store) =>
      createCommandPath({ store, ...(conflictRetryMs === undefined ? {} : { conflictRetryMs }) }),
    );

  it('land every one of many concurrent commands on one plan, each retried until it wins or its time is up', async () => {
    const writers = twoWriters();
    const register = {
      type: 'RegisterPlan' as const,
      data: { planId: 'p', title: 'P', kind: 'other' as const, owner: 'T', ragLegend: [] },
    };
    await writers[0]!.handle('p', register, fresh(-1));
    const results = await Promise.allSettled(Array.from({ length: 300 }, (_, i) => writers[i % 2]!.handle('p', section(i), fresh(i))));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(await stores.open().count()).toBe(301);
  });

  it('give up with the conflict once the retry budget is spent, writing nothing for that command', async () => {
    const writers = twoWriters(0);
    const register = {
      type: 'RegisterPlan' as const,
      data: { planId: 'p', title: 'P', kind: 'other' as const, owner: 'T', ragLegend: [] },
    };
    await writers[0]!.handle('p', register, fresh(-1));
    const results = await Promise.allSettled(Array.from({ length: 300 }, (_, i) => writers[i % 2]!.handle('p', section(i), fresh(i))));
    const refused = results.filter((r) => r.status === 'rejected');
    // With no time to retry, some commands lose a race and are refused as conflicts; none is half-written.
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevision);
    expect(await stores.open().count()).toBe(1 + results.length - refused.length);
  });

  it('land a batch whole while the other writer appends to the same plan, as an import beside a running service does', async () => {
    const writers = twoWriters();
    const register = {
      type: 'RegisterPlan' as const,
      data: { planId: 'p', title: 'P', kind: 'other' as const, owner: 'T', ragLegend: [] },
    };
    await writers[0]!.handle('p', register, fresh(-1));
    const items = Array.from({ length: 50 }, (_, i) => ({ command: section(1000 + i), provenance: { source: 'cli' as const } }));
    const [batch, ...singles] = await Promise.allSettled([
      writers[0]!.handleBatch('p', items, { actor, commandId: 'import-1', correlationId: 'import-1' }),
      ...Array.from({ length: 100 }, (_, i) => writers[1]!.handle('p', section(i), fresh(i))),
    ]);
    expect(batch.status).toBe('fulfilled');
    expect(singles.filter((r) => r.status === 'rejected')).toEqual([]);
    const events = await stores.open().count();
    expect(events).toBe(1 + 50 + 100);
  });
});
