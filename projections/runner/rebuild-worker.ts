import { parentPort, workerData } from 'node:worker_threads';
import type { OpenWorkerLedgerReader } from '../../src/store/worker-reader.ts';
import { createInterner } from '../history/storage/interner.ts';
import { toLedgerFact } from '../ledger-fact.ts';
import { projections as registered } from '../read-models.ts';
import { applyFact, type FoldSlot } from './apply-fact.ts';
import type { AnyProjection } from './projection.ts';
import { openDocumentReader } from './sqlite/read-store.ts';
import { streamPartition } from './stream-partition.ts';
import type { ChunkDone, ToWorker, WorkerSetup } from './parallel-rebuild.ts';

/**
 * One partition of a parallel rebuild: reads every event of each chunk from the ledger through
 * the reader module its backend names, folds only the streams of its partition (the rest are
 * skipped undecoded), and hands back the changed documents as JSON text. It never writes: the
 * coordinating thread commits each chunk's documents with the checkpoint, and only then sends
 * the next chunk, so a document this worker dropped from its cache can be read back from the
 * read store.
 */
const setup = workerData as WorkerSetup;
const PAGE = 5000;
const PROGRESS_EVERY = 20_000;

const chosen: AnyProjection[] = setup.projections.map(({ name, snapshotEvery }) => {
  const projection = registered.find((p) => p.name === name);
  if (!projection) throw new Error(`rebuild worker: no projection named ${name}`);
  return { ...projection, snapshotEvery };
});
const { openWorkerLedgerReader } = (await import(setup.workerReads.module)) as { openWorkerLedgerReader: OpenWorkerLedgerReader };
const ledger = openWorkerLedgerReader(setup.workerReads.options);
const documents = openDocumentReader(setup.readStoreFile);
const mine = (stream: string) => streamPartition(stream, setup.partitions) === setup.partition;

// Value ids: this worker's own share of them, so no two workers hand out the same.
const interner = createInterner(setup.firstValueId + setup.partition, setup.partitions);
const slots: FoldSlot[] = chosen.map((projection) => ({
  projection,
  cache: new Map<string, unknown>(),
  dirty: new Set<string>(),
  history: projection.history?.(documents.history, interner),
}));

const runChunk = async (from: bigint, to: bigint): Promise<ChunkDone> => {
  const snapshots: ChunkDone['snapshots'] = [];
  let next = from;
  let read = 0;
  for (;;) {
    const page = await ledger.readRange(next, to, PAGE, mine);
    read += page.read;
    for (const event of page.events) {
      const fact = toLedgerFact(event);
      if (!fact) continue;
      for (const slot of slots) {
        const snapshot = applyFact(slot, fact, documents.loadDocument);
        if (snapshot) snapshots.push({ projection: slot.projection.name, ...snapshot });
      }
    }
    if (read % PROGRESS_EVERY < page.read) parentPort!.postMessage({ type: 'progress', read });
    if (page.read < PAGE || page.last === undefined) break;
    next = page.last + 1n;
  }
  const changed: ChunkDone['documents'] = [];
  // Parts marked for working out again stay marked: the coordinating thread settles them once the backlog is folded.
  const keeping = slots.find((slot) => slot.history);
  const history = keeping && { projection: keeping.projection.name, write: keeping.history!.drain() };
  for (const slot of slots) {
    for (const key of slot.dirty) changed.push([slot.projection.name, key, JSON.stringify(slot.cache.get(key))]);
    slot.dirty.clear();
    // Every chunk starts from the read store: what is dropped here is committed before the
    // next chunk arrives. Keeping documents across chunks held a second copy of every plan in
    // each worker (peak memory went from ~0.8 to ~1.1 GiB on a 1M-event ledger) and saved no
    // time: reading a document back costs about what writing it out each chunk already does.
    slot.cache.clear();
  }
  return { type: 'chunk-done', read, documents: changed, snapshots, history };
};

// Chunks arrive one at a time (the next only after this one's answer), so they never overlap.
parentPort!.on('message', (message: ToWorker) => {
  if (message.type === 'chunk') void runChunk(message.from, message.to).then((done) => parentPort!.postMessage(done));
  else {
    ledger.close();
    documents.close();
    parentPort!.close();
  }
});
