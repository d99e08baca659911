import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createHistoryReader } from '../../projections/history/history-reader.ts';
import { noHistoryWrite } from '../../projections/history/storage/history-store.ts';
import { planStatusProjection } from '../../projections/plan-status/projection.ts';
import { openReadModels, type ReadModels } from '../../projections/read-models.ts';
import { openSqliteEventStore, type SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { sqliteWorkerReads } from '../../src/store/sqlite/worker-reader.ts';
import { currentVersion, type EventType } from '../../events/catalogue.ts';
import { evidenceFilesProjection } from '../../projections/evidence-files/projection.ts';
import { generatePlanLedger } from '../support/plan-ledger-generator.ts';
import { makeTempDir } from '../support/temp-dir.ts';

/** Everything a read store holds, in a fixed order: documents, snapshots and checkpoints. */
const contents = (readModels: ReadModels) => {
  const db = new Database(readModels.readStore.file, { readonly: true });
  try {
    return {
      documents: db.prepare('SELECT projection, key, doc FROM documents ORDER BY projection, key').all(),
      // A snapshot's packed bytes as hex: compared as one string each, not element by element (seconds over a few thousand).
      snapshots: db
        .prepare('SELECT projection, key, revision, recorded_at, hex(doc) AS doc FROM packed_snapshots ORDER BY projection, key, revision')
        .all(),
      checkpoints: db.prepare('SELECT projection, version, position FROM checkpoints ORDER BY projection').all(),
    };
  } finally {
    db.close();
  }
};

/** Every plan's lines on the business clock at a few days, as the history gives them (value ids resolved). */
const businessLines = (readModels: ReadModels) => {
  const reader = createHistoryReader(readModels.readStore.history);
  return [16_500, 17_500, 18_500, 19_500, 20_500].map((day) => JSON.stringify([...reader.linesAt('business', day).plans]));
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
 * `batchBytes` is what a worker gathers before sending it to be committed.
 */
const readModelsIn = (name: string, workers: number, batchBytes?: number, workerHeapMb?: number) => {
  const readModels = openReadModels({
    store: store!,
    workerReads: sqliteWorkerReads(store!.file),
    dataDir: dir!.file(name),
    snapshotEvery: 40,
    runner: {
      chunkEvents: 1_000,
      rebuildWorkers: workers,
      rebuildBatchBytes: batchBytes,
      rebuildWorkerHeapMb: workerHeapMb,
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
    // Business dates out of recorded order: the workers work each plan's business lines out again as they fold it.
    await generatePlanLedger(store, { events: 7_500, plans: 15, perAppend: 25, spreadBusinessDates: true });
    const head = Number(await store.headPosition());

    const serial = readModelsIn('serial', 1);
    await serial.runner.rebuild();
    // Batches of 20 kB: a plan or two each, so many commits.
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
    // Each plan was settled as it was folded: no plan was left for a phase of its own.
    expect(settling).toEqual([]);
    expect(businessLines(parallel)).toEqual(businessLines(serial));
  }, 60_000);

  it('resumes in parallel from a checkpoint, follows later appends, and settles plans left marked, like a one-thread runner', async () => {
    dir = makeTempDir('ledger-parallel-rebuild-');
    store = openSqliteEventStore({ file: dir.file('ledger.db') });
    await generatePlanLedger(store, { events: 3_000, plans: 6, perAppend: 25, spreadBusinessDates: true });
    const parallel = readModelsIn('parallel', 2);
    await parallel.runner.rebuild();
    // A plan whose business lines wait to be worked out again, as a one-thread catch-up stopped
    // mid-way leaves it; the later appends below do not touch it.
    const history = parallel.readStore.history;
    const cursor = JSON.parse(history.cursor('plan-00003')!);
    parallel.readStore.save(planStatusProjection.name, parallel.readStore.checkpoint(planStatusProjection.name)!, [], [], {
      ...noHistoryWrite(),
      cursors: [
        { plan: 'plan-00003', cursor: JSON.stringify({ ...cursor, dirty: 'all' }), dirty: true, knowledgePos: cursor.knowledgePos },
      ],
    });
    expect(history.dirtyPlans()).toEqual(['plan-00003']);
    // More history after the rebuild: a fresh start folds it in parallel too.
    await generatePlanLedger(store, { events: 3_000, plans: 6, perAppend: 25, seed: 7, planPrefix: 'later', firstSequence: 3_000 });
    const settling: { plans: number; of: number }[] = [];
    await parallel.runner.resume((p) => p.settling && settling.push(p.settling));

    const serial = readModelsIn('serial', 1);
    await serial.runner.rebuild();
    expect(parallel.runner.position()).toBe(await store.headPosition());
    expect(contents(parallel)).toEqual(contents(serial));
    expect(parallel.readStore.checkpoint(planStatusProjection.name)).toEqual(serial.readStore.checkpoint(planStatusProjection.name));
    expect(history.dirtyPlans()).toEqual([]);
    expect(settling.at(-1)).toEqual({ plans: 1, of: 1 });
    expect(businessLines(parallel)).toEqual(businessLines(serial));
  }, 60_000);

  it('goes on from the streams a stopped rebuild committed, and forgets them once done', async () => {
    dir = makeTempDir('ledger-parallel-rebuild-');
    store = openSqliteEventStore({ file: dir.file('ledger.db') });
    await generatePlanLedger(store, { events: 6_000, plans: 12, perAppend: 25, spreadBusinessDates: true });
    const head = Number(await store.headPosition());
    const stopping = readModelsIn('parallel', 2, 20_000);
    // Stopped once some batches are committed: the checkpoints have not moved, the streams are noted.
    let batches = 0;
    await stopping.runner.rebuild([], (p) => {
      if (p.done > 0 && ++batches === 3) void stopping.runner.stop();
    });
    expect(stopping.runner.position()).toBe(-1n);
    const noted = new Database(stopping.readStore.file, { readonly: true });
    const rebuilt = noted.prepare('SELECT count(*) FROM rebuilt_streams').pluck().get() as number;
    noted.close();
    expect(rebuilt).toBeGreaterThan(0);
    expect(rebuilt).toBeLessThan(12);
    await stopping.close();
    opened.splice(opened.indexOf(stopping), 1);

    const resumed = readModelsIn('parallel', 2, 20_000);
    const progress: number[] = [];
    await resumed.runner.resume((p) => progress.push(p.done));
    expect(resumed.runner.position()).toBe(BigInt(head));
    expect(progress.at(-1)).toBe(head + 1);
    const serial = readModelsIn('serial', 1);
    await serial.runner.rebuild();
    expect(contents(resumed)).toEqual(contents(serial));
    expect(businessLines(resumed)).toEqual(businessLines(serial));
    const after = new Database(resumed.readStore.file, { readonly: true });
    expect(after.prepare('SELECT count(*) FROM rebuilt_streams').pluck().get()).toBe(0);
    after.close();
  }, 60_000);

  it('folds a document that events of several plans share as one thread does, whichever workers fold the plans', async () => {
    dir = makeTempDir('ledger-parallel-rebuild-');
    store = openSqliteEventStore({ file: dir.file('ledger.db') });
    await generatePlanLedger(store, { events: 3_000, plans: 6, perAppend: 25 });
    // Two plans attach the same file and one of them erases it. The workers claim the first two
    // plans as they start, so each usually folds one; the file's document must not depend on it.
    const [first, second] = ['plan-00000', 'plan-00001'];
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

  it('goes on on one thread when its workers fail, and ends where a one-thread rebuild ends', async () => {
    dir = makeTempDir('ledger-parallel-rebuild-');
    store = openSqliteEventStore({ file: dir.file('ledger.db') });
    await generatePlanLedger(store, { events: 3_000, plans: 6, perAppend: 25, spreadBusinessDates: true });
    // Workers with a heap too small to fold anything run out of memory.
    const failing = readModelsIn('parallel', 2, undefined, 4);
    await failing.runner.rebuild();
    expect(failures.map(String)).toContainEqual(expect.stringMatching(/ERR_WORKER_OUT_OF_MEMORY/));
    failures.length = 0;
    const serial = readModelsIn('serial', 1);
    await serial.runner.rebuild();
    expect(failing.runner.position()).toBe(await store.headPosition());
    expect(contents(failing)).toEqual(contents(serial));
    expect(businessLines(failing)).toEqual(businessLines(serial));
  }, 60_000);
});
