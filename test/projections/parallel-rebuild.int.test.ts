import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { planStatusProjection } from '../../projections/plan-status/projection.ts';
import { openReadModels, type ReadModels } from '../../projections/read-models.ts';
import { openSqliteEventStore, type SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { sqliteWorkerReads } from '../../src/store/sqlite/worker-reader.ts';
import { currentVersion, type EventType } from '../../events/catalogue.ts';
import { evidenceFilesProjection } from '../../projections/evidence-files/projection.ts';
import { streamPartition } from '../../projections/runner/stream-partition.ts';
import { generatePlanLedger } from '../support/plan-ledger-generator.ts';
import { makeTempDir } from '../support/temp-dir.ts';

/** Everything a read store holds, in a fixed order: documents, snapshots and checkpoints. */
const contents = (readModels: ReadModels) => {
  const db = new Database(readModels.readStore.file, { readonly: true });
  try {
    return {
      documents: db.prepare('SELECT projection, key, doc FROM documents ORDER BY projection, key').all(),
      snapshots: db
        .prepare('SELECT projection, key, revision, recorded_at, doc FROM packed_snapshots ORDER BY projection, key, revision')
        .all(),
      checkpoints: db.prepare('SELECT projection, version, position FROM checkpoints ORDER BY projection').all(),
    };
  } finally {
    db.close();
  }
};

let dir: ReturnType<typeof makeTempDir> | undefined;
let store: SqliteEventStore | undefined;
const opened: ReadModels[] = [];
/** A failed parallel fold falls back to one thread and would still match: every test also asserts none failed. */
const failures: unknown[] = [];
afterEach(async () => {
  expect(failures).toEqual([]);
  failures.length = 0;
  for (const readModels of opened.splice(0)) await readModels.close();
  await store?.close();
  dir?.remove();
});

/**
 * Read models on their own directory: one thread, or worker threads from the first event on.
 * Each worker keeps two documents as objects, so most of a chunk's wait as JSON (chunk-documents.ts);
 * `chunkBytes` limits what a worker's answer to a chunk may weigh (chunk-size.ts).
 */
const readModelsIn = (name: string, workers: number, chunkBytes?: number) => {
  const readModels = openReadModels({
    store: store!,
    workerReads: sqliteWorkerReads(store!.file),
    dataDir: dir!.file(name),
    snapshotEvery: 40,
    runner: {
      chunkEvents: 1_000,
      rebuildWorkers: workers,
      rebuildDocumentsAsObjects: 2,
      rebuildChunkBytes: chunkBytes,
      parallelFromEvents: 0,
      onError: (error) => failures.push(error),
    },
  });
  opened.push(readModels);
  return readModels;
};

describe('rebuild folded by worker threads', () => {
  it('writes exactly the documents, snapshots and checkpoints a one-thread rebuild writes, and reports every event', async () => {
    dir = makeTempDir('ledger-parallel-rebuild-');
    store = openSqliteEventStore({ file: dir.file('ledger.db') });
    // Business dates out of recorded order: the workers settle the plans' business lines at the end.
    await generatePlanLedger(store, { events: 7_500, plans: 15, perAppend: 25, spreadBusinessDates: true });
    const head = Number(await store.headPosition());

    const serial = readModelsIn('serial', 1);
    await serial.runner.rebuild();
    // Answers limited to 20 kB: the chunks shrink to a tenth and grow back as the documents grow.
    const parallel = readModelsIn('parallel', 2, 20_000);
    const progress: number[] = [];
    const settling: { plans: number; of: number }[] = [];
    await parallel.runner.rebuild([], (p) => (p.settling ? settling.push(p.settling) : progress.push(p.done)));

    expect(parallel.runner.position()).toBe(BigInt(head));
    expect(progress.at(-1)).toBe(head + 1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const expected = contents(serial);
    // One plan-status document and one business-dates document per plan.
    expect(expected.documents).toHaveLength(30);
    expect(expected.snapshots.length).toBeGreaterThan(100);
    expect(contents(parallel)).toEqual(expected);
    expect(parallel.readStore.history.dirtyPlans()).toEqual([]);
    // The workers settled the marked plans themselves, and said how far they had got after each batch.
    expect(settling.length).toBeGreaterThan(0);
    expect(settling.at(-1)!.plans).toBe(settling.at(-1)!.of);
    expect(settling.map((s) => s.plans)).toEqual([...settling.map((s) => s.plans)].sort((a, b) => a - b));
  }, 60_000);

  it('resumes in parallel from a checkpoint and follows later appends like a one-thread runner', async () => {
    dir = makeTempDir('ledger-parallel-rebuild-');
    store = openSqliteEventStore({ file: dir.file('ledger.db') });
    await generatePlanLedger(store, { events: 3_000, plans: 6, perAppend: 25 });
    const parallel = readModelsIn('parallel', 2);
    await parallel.runner.rebuild();
    // More history after the rebuild: a fresh start folds it on the live path.
    await generatePlanLedger(store, { events: 3_000, plans: 6, perAppend: 25, seed: 7, planPrefix: 'later', firstSequence: 3_000 });
    await parallel.runner.resume();

    const serial = readModelsIn('serial', 1);
    await serial.runner.rebuild();
    expect(parallel.runner.position()).toBe(await store.headPosition());
    expect(contents(parallel)).toEqual(contents(serial));
    expect(parallel.readStore.checkpoint(planStatusProjection.name)).toEqual(serial.readStore.checkpoint(planStatusProjection.name));
  }, 60_000);

  it('folds a document that events of several plans share as one thread does, whichever workers fold the plans', async () => {
    dir = makeTempDir('ledger-parallel-rebuild-');
    store = openSqliteEventStore({ file: dir.file('ledger.db') });
    await generatePlanLedger(store, { events: 3_000, plans: 6, perAppend: 25 });
    // Two plans folded by different workers attach the same file; one of them erases it.
    const plans = Array.from({ length: 6 }, (_, i) => `plan-${String(i).padStart(5, '0')}`);
    const first = plans.find((p) => streamPartition(`plan-${p}`, 2) === 0)!;
    const second = plans.find((p) => streamPartition(`plan-${p}`, 2) === 1)!;
    const sha256 = 'ab'.repeat(32);
    const file = { sha256, size: 1234, mediaType: 'application/pdf', fileName: 'minutes.pdf' };
    let n = 0;
    const append = (plan: string, type: EventType, data: Record<string, unknown>) =>
      store!.append({
        stream: `plan-${plan}`,
        expectedRevision: 'any',
        commandId: `shared-file-${n}`,
        events: [
          {
            eventId: `01900000-0000-7000-9000-${(n++).toString(16).padStart(12, '0')}`,
            type,
            schemaVersion: currentVersion(type),
            recordedAt: new Date(Date.parse('2024-06-01T09:00:00Z') + n * 1000).toISOString(),
            effectiveOn: { date: '2024-06', precision: 'month' },
            actor: { id: 'gen', name: 'Generated', organisation: 'Dorset CCG', role: 'operator' },
            commandId: `shared-file-${n}`,
            correlationId: `shared-file-${n}`,
            provenance: { source: 'cli' },
            data,
          },
        ],
      });
    await append(first, 'EvidenceFileAttached', { target: { kind: 'recommendation', ref: 'R1' }, title: 'Board minutes', file });
    await append(second, 'EvidenceFileAttached', { target: { kind: 'recommendation', ref: 'R1' }, title: 'Board minutes', file });
    await append(first, 'EvidenceErased', { sha256, reason: 'Holds a patient’s details' });
    await append(second, 'EvidenceFileAttached', { target: { kind: 'recommendation', ref: 'R1' }, title: 'Board minutes again', file });

    const serial = readModelsIn('serial', 1);
    await serial.runner.rebuild();
    const parallel = readModelsIn('parallel', 2);
    await parallel.runner.rebuild();
    const shared = JSON.parse(parallel.readStore.loadDocument(evidenceFilesProjection.name, sha256)!);
    expect(shared.attachments.map((a: { planId: string }) => a.planId)).toEqual([first, second, second]);
    expect(shared.erasures.map((e: { planId: string }) => e.planId)).toEqual([first]);
    expect(parallel.evidenceFiles.isLive(sha256)).toBe(false);
    expect(contents(parallel)).toEqual(contents(serial));
  }, 60_000);
});
