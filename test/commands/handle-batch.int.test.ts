import { describe, expect, it } from 'vitest';
import { authorise } from '../../src/access/authorise-command.ts';
import type { Principal } from '../../src/access/principal.ts';
import { HttpProblem } from '../../src/api/http/problem.ts';
import { IdempotencyKeyReused } from '../../src/store/port.ts';
import { collect } from '../support/collect.ts';
import { useSqliteStores } from '../support/sqlite-stores.ts';
import { planStream } from '../../events/streams.ts';
import { createBatchHandler, createCommandHandler } from '../../src/commands/command-path.ts';
import { BatchCommandRefused, type BatchCommand } from '../../src/commands/command-requests.ts';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const actor = { id: 'u-1', name: 'Alex', organisation: 'NHS Test Trust', role: 'operator' };
const provenance = (line: number) => ({ source: 'import' as const, file: 'plan.csv', sha256: 'a'.repeat(64), location: `line ${line}` });
const ctx = (commandId: string) => ({ actor, commandId, correlationId: commandId });

const plan: BatchCommand[] = [
  {
    command: { type: 'RegisterPlan', data: { planId: 'p1', title: 'Plan', kind: 'other', owner: 'NHS Test Trust', ragLegend: [] } },
    effectiveOn: '2017-01',
    provenance: provenance(2),
  },
  {
    command: {
      type: 'AgreeAction',
      data: {
        ref: '1.1',
        text: 'Do it',
        recommendationRefs: [],
        leadOrganisations: ['Dorset Police'],
        partnerOrganisations: [],
        intendedOutcomes: [],
        due: { kind: 'date', date: '2017-10' },
        relatedActionRefs: [],
      },
    },
    effectiveOn: '2017-01',
    provenance: provenance(3),
  },
  {
    command: { type: 'RecordProgressUpdate', data: { target: { kind: 'action', ref: '1.1' }, narrative: 'Started', metrics: [] } },
    effectiveOn: '2017-03',
    provenance: provenance(4),
  },
  { command: { type: 'CompleteAction', data: { ref: '1.1', completedOn: '2017-08' } }, effectiveOn: '2017-08', provenance: provenance(5) },
];

describe('the batch handler', () => {
  const stores = useSqliteStores();

  it('decides each command against the state the earlier ones produced and appends them all at once', async () => {
    const store = stores.open();
    const result = await createBatchHandler({ store, clock: () => NOW })('p1', plan, ctx('batch-1'));
    const events = await collect(store.readStream(planStream('p1')));
    expect(events.map((e) => e.type)).toEqual(['PlanRegistered', 'ActionAgreed', 'ProgressUpdateRecorded', 'ActionCompleted']);
    expect(events.map((e) => e.effectiveOn.date)).toEqual(['2017-01', '2017-01', '2017-03', '2017-08']);
    expect(events.map((e) => e.provenance)).toEqual([2, 3, 4, 5].map(provenance));
    expect(result?.eventIds).toHaveLength(4);
    // The single-command handler sees the batch's result: the action is closed.
    await expect(
      createCommandHandler({ store, clock: () => NOW })(
        'p1',
        { type: 'CompleteAction', data: { ref: '1.1', completedOn: '2017-09' } },
        { ...ctx('c-2'), provenance: { source: 'api' } },
      ),
    ).rejects.toMatchObject({ code: 'action-closed' });
  });

  it('writes nothing when one command is refused, and names it', async () => {
    const store = stores.open();
    const broken = [
      ...plan.slice(0, 3),
      { ...plan[3]!, command: { type: 'CompleteAction' as const, data: { ref: '9.9', completedOn: '2017-08' } } },
    ];
    const error = await createBatchHandler({ store, clock: () => NOW })('p1', broken, ctx('batch-2')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchCommandRefused);
    expect((error as BatchCommandRefused).index).toBe(3);
    expect(await store.count()).toBe(0);
  });

  it('an import id is never answered by a single command that reused it, nor answers one', async () => {
    const store = stores.open();
    const batch = createBatchHandler({ store, clock: () => NOW });
    const single = createCommandHandler({ store, clock: () => NOW });
    const register = {
      type: 'RegisterPlan' as const,
      data: { planId: 'p1', title: 'Plan', kind: 'other' as const, owner: 'NHS Test Trust', ragLegend: [] },
    };
    // A caller who guessed an import's id and used it first as an Idempotency-Key…
    await single('p1', register, { ...ctx('import-guessed'), provenance: { source: 'api' } });
    const count = await store.count();
    // …does not make the real import look already done.
    await expect(batch('p1', plan, ctx('import-guessed'))).rejects.toBeInstanceOf(IdempotencyKeyReused);
    // And an import's id sent with a single command is refused, not answered with the import's result.
    await batch(
      'p2',
      plan.map((item, i) => (i === 0 ? { ...item, command: { ...register, data: { ...register.data, planId: 'p2' } } } : item)),
      ctx('import-real'),
    );
    const after = await store.count();
    await expect(
      single(
        'p2',
        { type: 'RecordProgressUpdate', data: { target: { kind: 'action', ref: '1.1' }, narrative: 'x', metrics: [] } },
        { ...ctx('import-real'), provenance: { source: 'api' } },
      ),
    ).rejects.toBeInstanceOf(IdempotencyKeyReused);
    expect(await store.count()).toBe(after);
    expect(after).toBeGreaterThan(count);
  });

  it('answers a repeated batch id with the first result and writes nothing', async () => {
    const store = stores.open();
    const batch = createBatchHandler({ store, clock: () => NOW });
    const first = await batch('p1', plan, ctx('batch-3'));
    const again = await batch('p1', plan, ctx('batch-3'));
    expect(again?.replayed).toBe(true);
    expect(again?.eventIds).toEqual(first?.eventIds);
    expect(await store.count()).toBe(4);
  });

  /** The same pure check single commands get, as the import route passes it: a refusal is a 403 problem. */
  const as = (principal: Principal) => ({
    authorise: (command: BatchCommand['command'], state: Parameters<typeof authorise>[2]) => {
      const decision = authorise(principal, command, state, (name) => name);
      if (!decision.allowed) throw new HttpProblem({ status: 403, code: decision.code, title: 'Forbidden', detail: decision.reason });
    },
  });
  const principal = (role: Principal['role'], organisation: string): Principal => ({
    via: 'api-key',
    keyId: `${role}-key`,
    name: role,
    role,
    organisation,
  });

  it('authorises every command against the plan as the earlier ones left it, and writes nothing when one is refused', async () => {
    const store = stores.open();
    const seen: string[] = [];
    const manager = as(principal('plan-manager', 'NHS Test Trust'));
    await createBatchHandler({ store, clock: () => NOW })('p1', plan, {
      ...ctx('batch-4'),
      authorise: (command, state) => {
        seen.push(`${command.type} on ${state.status === 'registered' ? `a plan with ${state.actions.size} actions` : 'no plan'}`);
        manager.authorise(command, state);
      },
    });
    expect(seen).toEqual([
      'RegisterPlan on no plan',
      'AgreeAction on a plan with 0 actions',
      'RecordProgressUpdate on a plan with 1 actions',
      'CompleteAction on a plan with 1 actions',
    ]);

    // A contributor of the action's lead may record its progress, but not register a plan: the whole batch is refused.
    const other = stores.open({}, 'other.db');
    const refused = await createBatchHandler({ store: other, clock: () => NOW })('p1', plan, {
      ...ctx('batch-5'),
      ...as(principal('contributor', 'Dorset Police')),
    }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ problem: { status: 403, code: 'role-not-permitted' } });
    expect(await other.count()).toBe(0);
  });

  it('refuses a replay of a recorded batch to a caller who could not have run it, and answers one who could', async () => {
    const store = stores.open();
    const batch = createBatchHandler({ store, clock: () => NOW });
    await batch('p1', plan, { ...ctx('batch-6'), ...as(principal('plan-manager', 'NHS Test Trust')) });
    await expect(batch('p1', plan, { ...ctx('batch-6'), ...as(principal('plan-manager', 'Dorset Police')) })).rejects.toMatchObject({
      problem: { status: 403, code: 'not-your-organisation' },
    });
    expect((await batch('p1', plan, { ...ctx('batch-6'), ...as(principal('plan-manager', 'NHS Test Trust')) }))?.replayed).toBe(true);
    expect(await store.count()).toBe(4);
  });
});
