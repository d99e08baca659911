import fs from 'node:fs';
import path from 'node:path';
import { openOrganisationAliases } from '../src/organisations/organisation-aliases.ts';
import type { OrganisationDirectory } from '../src/organisations/organisation-directory.ts';
import type { EventStore } from '../src/store/port.ts';
import type { WorkerReadSource } from '../src/store/worker-reader.ts';
import { createHistoryWriter } from './history/history-writer.ts';
import { createPlanReader, type PlanReader } from './plan-reader.ts';
import { createViewPool, type ViewPool } from './every-plan/view-pool.ts';
import type { SplitOptions } from './every-plan/split-read.ts';
import { planStatusProjection } from './plan-status/projection.ts';
import { businessDatesProjection } from './business-dates/projection.ts';
import { evidenceFileIndex, evidenceFilesProjection, type EvidenceFileIndex } from './evidence-files/projection.ts';
import type { AnyProjection } from './runner/projection.ts';
import type { ReadStore } from './runner/read-store.ts';
import { openReadStore } from './runner/sqlite/read-store.ts';
import { createProjectionRunner, type ProjectionRunner, type RunnerOptions } from './runner/runner.ts';

/** Every persisted projection, by name: `ledger rebuild <name>` takes these names. Plan status keeps the history of its lines. */
export const projections: AnyProjection[] = [
  { ...planStatusProjection, history: createHistoryWriter },
  evidenceFilesProjection,
  businessDatesProjection,
];

export const readModelsFile = (dataDir: string) => path.join(dataDir, 'read-models.db');

export interface ReadModels {
  readStore: ReadStore;
  runner: ProjectionRunner;
  /** The threads reading parts of the views over every plan at a clock, when there are any. */
  viewPool: ViewPool | undefined;
  reader: PlanReader;
  directory: OrganisationDirectory;
  /** Every evidence file by sha256, across plans: whether it is attached, and whether erased. */
  evidenceFiles: EvidenceFileIndex;
  close(): Promise<void>;
}

/**
 * Opens this instance's read store in the data dir and wires runner, reader and alias table;
 * nothing runs until runner.start(). The read models are a local cache built from the ledger,
 * whatever its backend.
 */
export const openReadModels = (options: {
  store: EventStore;
  /** Set when the backend lets worker threads read the ledger (Backend.workerReads): long rebuilds then fold in parallel. */
  workerReads?: WorkerReadSource | undefined;
  dataDir: string;
  clock?: () => Date;
  runner?: Pick<
    RunnerOptions,
    | 'chunkEvents'
    | 'maxCachedDocuments'
    | 'onError'
    | 'onViewsDropped'
    | 'lookAgainMs'
    | 'lookForMovesMs'
    | 'rebuildWorkers'
    | 'rebuildBatchBytes'
    | 'rebuildWorkerHeapMb'
    | 'parallelFromEvents'
    | 'settlePlansPerWrite'
  >;
  /** The ledger's organisation directory, shared with imports and access control (default: opened on dataDir). */
  directory?: OrganisationDirectory;
  /** Overrides how often plan documents are snapshotted (tests use small numbers to exercise snapshots). */
  snapshotEvery?: number;
  /**
   * Threads that each read part of a view over every plan at a clock (every-plan/view-pool.ts),
   * started at the first such read; 0 (the default): every read on the calling thread.
   */
  readWorkers?: number;
  /** When a read is split across them (every-plan/split-read.ts; tests split small ledgers into small chunks). */
  split?: SplitOptions;
  /** Told when a view worker fails (its parts are then read on the calling thread). */
  onReadWorkerError?: (error: unknown) => void;
}): ReadModels => {
  const chosen =
    options.snapshotEvery === undefined ? projections : projections.map((p) => ({ ...p, snapshotEvery: options.snapshotEvery }));
  fs.mkdirSync(options.dataDir, { recursive: true });
  const readStore = openReadStore(readModelsFile(options.dataDir));
  const runner = createProjectionRunner({
    store: options.store,
    readStore,
    projections: chosen,
    workerReads: options.workerReads,
    ...options.runner,
  });
  const viewPool =
    (options.readWorkers ?? 0) > 0
      ? createViewPool({
          readStoreFile: readModelsFile(options.dataDir),
          workers: options.readWorkers!,
          onError: options.onReadWorkerError,
        })
      : undefined;
  const reader = createPlanReader({
    store: options.store,
    readStore,
    clock: options.clock ?? (() => new Date()),
    viewPool,
    split: options.split,
  });
  const directory = options.directory ?? openOrganisationAliases(options.dataDir);
  runner.onSaved((projection, keys) => projection === planStatusProjection.name && reader.forget(keys));
  // Another process's writes name no plans to this one: the plans whose history moved since, or all after a rebuild.
  runner.onResynced((since) =>
    since === undefined ? reader.forgetAll() : reader.forget(readStore.history.plansWrittenAfter(Number(since))),
  );
  return {
    readStore,
    runner,
    viewPool,
    reader,
    directory,
    evidenceFiles: evidenceFileIndex((sha256) => readStore.loadDocument(evidenceFilesProjection.name, sha256)),
    async close() {
      await runner.stop();
      await viewPool?.close();
      readStore.close();
    },
  };
};
