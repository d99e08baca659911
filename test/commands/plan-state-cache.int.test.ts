import { describe, expect, it } from 'vitest';
import { planStream } from '../../events/streams.ts';
import { createBatchHandler } from '../../src/commands/command-path.ts';
import type { BatchCommand } from '../../src/commands/command-requests.ts';
import { createPlanStateCache } from '../../src/commands/plan-state-cache.ts';
import { useSqliteStores } from '../support/sqlite-stores.ts';

const actor = { id: 'u-1', name: 'Alex', organisation: 'NHS Test Trust', role: 'operator' };
const provenance = { source: 'import' as const, file: 'plan.csv', sha256: 'a'.repeat(64), location: 'line 2' };

/** A plan of `updates` + 2 events: registered, one action, then progress updates. */
const planOf = (planId: string, updates: number): BatchCommand[] => [
  {
    command: { type: 'RegisterPlan', data: { planId, title: 'Plan', kind: 'other', owner: 'NHS Test Trust', ragLegend: [] } },
    effectiveOn: '2017-01',
    provenance,
  },
  {
    command: {
      type: 'AgreeAction',
      data: {
        ref: '1.1',
        text: 'Do it',
        recommendationRefs: [],
        leadOrganisations: ['NHS Test Trust'],
        partnerOrganisations: [],
        intendedOutcomes: [],
        due: { kind: 'date', date: '2017-10' },
        relatedActionRefs: [],
      },
    },
    effectiveOn: '2017-01',
    provenance,
  },
  ...Array.from({ length: updates }, (_, i) => ({
    command: {
      type: 'RecordProgressUpdate' as const,
      data: { target: { kind: 'action' as const, ref: '1.1' }, narrative: `Update ${i}`, metrics: [] },
    },
    effectiveOn: '2017-03',
    provenance,
  })),
];

describe('the plan-state cache', () => {
  const stores = useSqliteStores();

  it('holds at most its budget in events, whatever the number of plans, least recently used leaving first', async () => {
    const store = stores.open();
    const batch = createBatchHandler({ store });
    for (const id of ['a', 'b', 'c']) await batch(id, planOf(id, 8), { actor, commandId: `register-${id}`, correlationId: id });
    const cache = createPlanStateCache(store, 25);

    await cache.load(planStream('a'));
    await cache.load(planStream('b'));
    expect(cache.size()).toEqual({ plans: 2, events: 20 });
    await cache.load(planStream('a'));
    await cache.load(planStream('c'));
    // b was used least recently: it made room for c.
    expect(cache.size()).toEqual({ plans: 2, events: 20 });
    const b = await cache.load(planStream('b'));
    expect(b.revision).toBe(9n);
    expect(b.state.status === 'registered' && b.state.history).toHaveLength(10);
    expect(cache.size().events).toBeLessThanOrEqual(25);
  });

  it('folds a plan larger than the whole budget afresh each time rather than keeping it, and still answers it whole', async () => {
    const store = stores.open();
    await createBatchHandler({ store })('big', planOf('big', 30), { actor, commandId: 'register-big', correlationId: 'big' });
    const cache = createPlanStateCache(store, 25);
    const big = await cache.load(planStream('big'));
    expect(big.revision).toBe(31n);
    expect(cache.size()).toEqual({ plans: 0, events: 0 });
    expect((await cache.load(planStream('big'))).revision).toBe(31n);
  });
});
