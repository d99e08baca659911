import { parentPort, workerData } from 'node:worker_threads';
import { planStream } from '../../events/streams.ts';
import type { OpenWorkerLedgerReader } from '../../src/store/worker-reader.ts';
import { createInterner } from '../history/storage/interner.ts';
import { toLedgerFact, type LedgerFact } from '../ledger-fact.ts';
import { projections as registered } from '../read-models.ts';
import type { FoldSlot } from './apply-fact.ts';
import { createChunkDocuments } from './chunk-documents.ts';
import type { AnyProjection } from './projection.ts';
import type { ChunkDone, ChunkFolded, SettleDone, ToWorker, WorkerSetup } from './rebuild-protocol.ts';
import { openDocumentReader } from './sqlite/read-store.ts';
import { streamPartition } from './stream-partition.ts';

/**
 * One partition of a parallel rebuild: reads every event of each chunk from the ledger through
 * the reader module its backend names, folds only the streams of its partition (the rest are
 * skipped undecoded), and hands back the changed documents as JSON text. Once the backlog is
 * folded it works out again the history of its marked documents, a batch per request. It never
 * writes: the coordinating thread commits each answer, and only then sends the next request,
 * so a document this worker dropped from its cache can be read back from the read store.
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
/**
 * The event types of projections keyed across streams (projection.ts, `acrossStreams`): the
 * first worker folds them from every stream, in ledger order; the other workers leave them be.
 */
const acrossTypes = new Set<string>(setup.partition === 0 ? chosen.flatMap((p) => p.acrossStreams?.types ?? []) : []);
const wanted = (stream: string, type: string) => mine(stream) || acrossTypes.has(type);
/** Whether a slot folds this event here: its own streams' events, or every one of the types it folds across streams. */
const folds = (slot: FoldSlot, stream: string, type: string) =>
  slot.projection.acrossStreams ? acrossTypes.has(type) : mine(stream);

// Value ids: this worker's own share of them, so no two workers hand out the same.
const interner = createInterner(setup.firstValueId + setup.partition, setup.partitions);
const slots: FoldSlot[] = chosen.map((projection) => ({
  projection,
  cache: new Map<string, unknown>(),
  dirty: new Set<string>(),
  history: projection.history?.(documents.history, interner),
}));
/** The slot keeping the history of the plan lines (keyed by plan id), if any. */
const keeping = slots.find((slot) => slot.history);
const chunkDocuments = createChunkDocuments(slots, documents.loadDocument, setup.documentsAsObjects);
const drainHistory = () => keeping && { projection: keeping.projection.name, write: keeping.history!.drain() };

const runChunk = async (from: bigint, to: bigint): Promise<ChunkDone> => {
  const snapshots: ChunkDone['snapshots'] = [];
  let next = from;
  let read = 0;
  for (;;) {
    const page = await ledger.readRange(next, to, PAGE, wanted);
    read += page.read;
    for (const event of page.events) {
      const fact = toLedgerFact(event);
      if (!fact) continue;
      for (const slot of slots) {
        if (!folds(slot, event.stream, event.type)) continue;
        const snapshot = chunkDocuments.apply(slot, fact);
        if (snapshot) snapshots.push({ projection: slot.projection.name, ...snapshot });
      }
    }
    if (read % PROGRESS_EVERY < page.read) parentPort!.postMessage({ type: 'progress', read });
    if (page.read < PAGE || page.last === undefined) break;
    next = page.last + 1n;
  }
  // Parts marked for working out again stay marked: they are settled once the backlog is folded (runSettle).
  const history = drainHistory();
  // Every chunk starts from the read store: what is dropped here is committed before the next
  // chunk arrives. Keeping documents across chunks held a second copy of every plan in each
  // worker and saved no time: reading a document back costs about what writing it out each
  // chunk already does.
  const changed = chunkDocuments.drain();
  return { type: 'chunk-done', read, documents: changed, snapshots, history };
};

/** This worker's marked plans, read from the read store at the first settle request (every chunk is committed by then). */
let marked: string[] | undefined;

/** Works out again the history of the next `count` of this worker's marked plans, from each plan's own facts. */
const runSettle = async (upTo: bigint, count: number): Promise<SettleDone> => {
  if (!keeping) return { type: 'settled', history: undefined, settled: 0, remaining: 0 };
  marked ??= documents.history.dirtyPlans().filter((plan) => mine(planStream(plan)));
  const batch = marked.splice(0, count);
  for (const plan of batch) {
    const facts: LedgerFact[] = [];
    for (const event of await ledger.readStream(planStream(plan), upTo)) {
      const fact = toLedgerFact(event);
      if (fact) facts.push(fact);
    }
    keeping.history!.settle(plan, facts);
  }
  return { type: 'settled', history: drainHistory(), settled: batch.length, remaining: marked.length };
};

/** The answer to the chunk last folded, until the coordinating thread asks for it. */
let folded: ChunkDone | undefined;

// Requests arrive one at a time (the next only after this one's answer), so they never overlap.
parentPort!.on('message', (message: ToWorker) => {
  if (message.type === 'chunk')
    void runChunk(message.from, message.to).then((done) => {
      folded = done;
      parentPort!.postMessage({ type: 'folded', read: done.read } satisfies ChunkFolded);
    });
  else if (message.type === 'send') {
    const done = folded!;
    folded = undefined;
    parentPort!.postMessage(done);
  } else if (message.type === 'settle') void runSettle(message.upTo, message.keys).then((done) => parentPort!.postMessage(done));
  else {
    ledger.close();
    documents.close();
    parentPort!.close();
  }
});
