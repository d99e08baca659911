import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toLedgerFact, type LedgerFact } from '../../projections/ledger-fact.ts';
import { foldPlanStatus, planStatusProjection } from '../../projections/plan-status/projection.ts';
import { openReadModels, type ReadModels } from '../../projections/read-models.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { openSqliteEventStore, type SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { collect } from '../support/collect.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { correctableField, histories, type Step } from './random-commands.ts';
import { planStream } from '../../events/streams.ts';
import { createCommandHandler } from '../../src/commands/command-path.ts';

const actor = { id: 'u1', name: 'Sam Auditor', organisation: 'Dorset CCG', role: 'operator' };
const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
const documents = (readModels: ReadModels) =>
  [...readModels.readStore.documents(planStatusProjection.name)].map((d) => JSON.parse(d) as unknown);

/** Runs a random history through the real command handler on a real ledger file, with the live runner following. */
const record = async (store: SqliteEventStore, readModels: ReadModels, steps: Step[]) => {
  let now = Date.parse('2026-01-01T09:00:00.000Z');
  const handle = createCommandHandler({ store, clock: () => new Date(now) });
  const snapshots: { planId: string; recordedAt: string; live: unknown }[] = [];
  let n = 0;
  const run = async (planId: string, command: Parameters<typeof handle>[1], effectiveOn?: string) => {
    now += 1000; // every command at its own instant, so an as-of read can land exactly after it
    try {
      const result = await handle(planId, command, {
        actor,
        commandId: `c${n++}`,
        correlationId: 'prop',
        provenance: { source: 'api' },
        effectiveOn,
      });
      expect(await readModels.runner.waitFor(result.lastPosition, 5000)).toBe(true);
      const live = readModels.readStore.loadDocument(planStatusProjection.name, planId);
      snapshots.push({ planId, recordedAt: new Date(now).toISOString(), live: live && JSON.parse(live) });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  };
  for (const planId of ['plan-a', 'plan-b']) {
    await run(
      planId,
      { type: 'RegisterPlan', data: { planId, title: `Plan ${planId}`, kind: 'other', owner: 'Dorset CCG', ragLegend: [] } },
      '2015-01',
    );
    await run(planId, { type: 'RecordRecommendation', data: { ref: 'R1', text: 'Street triage', addressedTo: ['SWAST'] } }, '2015-01');
    await run(
      planId,
      {
        type: 'AgreeAction',
        data: {
          ref: '1.1',
          text: 'Pilot',
          recommendationRefs: ['R1'],
          leadOrganisations: ['Dorset CCG'],
          partnerOrganisations: ['SWASFT'],
          intendedOutcomes: [],
          due: { kind: 'date', date: '2016-10' },
          relatedActionRefs: [],
        },
      },
      '2015-01',
    );
  }
  for (const step of steps) {
    now += step.minutes * 60_000;
    if (step.kind === 'command') {
      await run(step.planId, step.command, step.command.type === 'CompleteAction' ? undefined : step.effectiveOn);
      continue;
    }
    const events = await collect(store.readStream(planStream(step.planId)));
    const target = events[step.pick % events.length]!;
    const field = correctableField[target.type]!;
    await run(step.planId, {
      type: 'CorrectEntry',
      data: { correctedEventId: target.eventId, changes: { [field]: step.value }, reason: 'Typed wrongly' },
    });
  }
  return snapshots;
};

describe('projections over random histories (real command handler, real SQLite files)', () => {
  it('live = rebuild from scratch; as-of at each recordedAt (from snapshots every 4 events) = the live view then; replaying events changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(histories, fc.nat(), async (steps, replayFrom) => {
        const dir = makeTempDir('ledger-prop-');
        const store = openSqliteEventStore({ file: dir.file('ledger.db') });
        // Tiny chunks so documents and checkpoints are written many times within one history.
        const live = openReadModels({ store, dataDir: dir.path, runner: { chunkEvents: 3 }, snapshotEvery: 4 });
        const fresh = openReadModels({ store, dataDir: dir.file('fresh'), runner: { chunkEvents: 7 }, snapshotEvery: 4 });
        try {
          await live.runner.start();
          const snapshots = await record(store, live, steps);

          for (const { planId, recordedAt, live: then } of snapshots)
            expect(plain(await live.reader.planDoc(planId, { asOf: recordedAt }))).toEqual(then);

          await fresh.runner.rebuild();
          const liveDocs = documents(live);
          expect(documents(fresh)).toEqual(liveDocs);
          // The rebuild's snapshots answer as-of reads exactly as the live runner's did.
          for (const { planId, recordedAt, live: then } of snapshots)
            expect(plain(await fresh.reader.planDoc(planId, { asOf: recordedAt }))).toEqual(then);

          const head = Number(await store.headPosition());
          fresh.readStore.save(
            planStatusProjection.name,
            { version: planStatusProjection.version, position: BigInt((replayFrom % (head + 1)) - 1) },
            [],
          );
          await fresh.runner.resume();
          expect(documents(fresh)).toEqual(liveDocs);

          for (const planId of ['plan-a', 'plan-b']) {
            const facts = (await collect(store.readStream(planStream(planId)))).map(toLedgerFact) as LedgerFact[];
            const twice = facts.flatMap((f) => [f, structuredClone(f)]);
            expect(plain(foldPlanStatus(twice))).toEqual(plain(foldPlanStatus(facts)));
          }
        } finally {
          await live.close();
          await fresh.close();
          await store.close();
          dir.remove();
        }
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 40) },
    );
  }, 90_000);
});
