import { bundledModule } from '../../src/bundle/bundled-module.js';
import { parentPort, workerData } from 'node:worker_threads';
import { planStream } from '../../events/streams.ts';
import { pagesOfTypes, type OpenWorkerLedgerReader } from '../../src/store/worker-reader.ts';
import type { HistoryWrite } from '../history/storage/history-store.ts';
import { createInterner } from '../history/storage/interner.ts';
import { toLedgerFact, type LedgerFact } from '../ledger-fact.ts';
import { projections as registered } from '../read-models.ts';
import { applyFact, type FoldSlot } from './apply-fact.ts';
import type { AnyProjection } from './projection.ts';
import type { Batch, FromWorker, ToWorker, WorkerSetup } from './rebuild-protocol.ts';
import { openDocumentReader } from './sqlite/read-store.ts';

/**
 * One worker of a parallel rebuild: claims streams one after another and folds each whole
 * (every event of it up to the fold's end), so each of a stream's documents is read once,
 * folded, and written once, and a plan's history is worked out while its facts are at hand.
 * The first worker also folds the projections keyed across streams, from every stream in
 * ledger order. Work goes to the coordinating thread in batches, which it commits; this
 * worker never writes.
 */
const setup = workerData as WorkerSetup;
const PAGE = 5000;
const PROGRESS_EVERY = 20_000;

const chosen: AnyProjection[] = setup.projections.map(({ name, snapshotEvery }) => {
  const projection = registered.find((p) => p.name === name);
  if (!projection) throw new Error(`rebuild worker: no projection named ${name}`);
  return { ...projection, snapshotEvery };
});
// This thread may run from the command's bundle, without tsx's loader (src/typescript-worker-entry.mjs): the reader's
// module then comes from the same bundle, sharing its modules, as this one did.
const readerModule = bundledModule(setup.workerReads.module) ?? setup.workerReads.module;
const { openWorkerLedgerReader } = (await import(readerModule)) as { openWorkerLedgerReader: OpenWorkerLedgerReader };
const ledger = openWorkerLedgerReader(setup.workerReads.options);
const documents = openDocumentReader(setup.readStoreFile);

// Value ids: this worker's own share of them, so no two workers hand out the same.
const interner = createInterner(setup.firstValueId + setup.worker, setup.workers);
const slots: FoldSlot[] = chosen.map((projection) => ({
  projection,
  cache: new Map<string, unknown>(),
  dirty: new Set<string>(),
  history: projection.history?.(documents.history, interner),
}));
const byStream = slots.filter((slot) => !slot.projection.acrossStreams);
/** Projections keyed across streams (projection.ts, `acrossStreams`): the first worker folds them whole. */
const across = setup.worker === 0 ? slots.filter((slot) => slot.projection.acrossStreams) : [];
const acrossTypes = [...new Set<string>(across.flatMap((slot) => slot.projection.acrossStreams!.types))];
/** The slot keeping the history of the plan lines (keyed by plan id), if any. */
const keeping = slots.find((slot) => slot.history);

/** The counters every worker claims streams and left-over plans by (rebuild-protocol.ts). */
const claims = new Int32Array(setup.claims);

const send = (message: FromWorker) => parentPort!.postMessage(message);

const emptyBatch = (): Batch => ({ type: 'batch', read: 0, streams: [], documents: [], snapshots: [], history: undefined });
let batch = emptyBatch();
/** What the batch weighs so far, in bytes of JSON, snapshots and history. */
let weight = 0;
/** Events folded (or found folded by an earlier rebuild), for progress. */
let read = 0;
let reported = 0;
/** Settles once the coordinating thread has taken the batch last sent. */
let taken: Promise<void> = Promise.resolve();
let onTaken: (() => void) | undefined;

const historyWeight = (write: HistoryWrite): number => {
  let bytes = 0;
  for (const { block } of write.ledgerBlocks) bytes += block.bytes.length;
  for (const { blocks } of write.business) for (const block of blocks) bytes += block.bytes.length;
  for (const [, json] of write.values) bytes += json.length;
  return bytes;
};

/** Moves what the history writer holds (the plans just folded or settled) into the batch. */
const takeHistory = () => {
  if (!keeping) return;
  const write = keeping.history!.drain();
  weight += historyWeight(write);
  const held = batch.history?.write;
  if (!held) batch.history = { projection: keeping.projection.name, write };
  else {
    held.cursors.push(...write.cursors);
    held.ledgerBlocks.push(...write.ledgerBlocks);
    held.business.push(...write.business);
    held.values.push(...write.values);
  }
};

/** Moves the slots' changed documents into the batch as JSON, and forgets them: nothing is folded twice. */
const takeDocuments = (from: FoldSlot[]) => {
  for (const slot of from) {
    for (const key of slot.dirty) {
      const json = JSON.stringify(slot.cache.get(key));
      batch.documents.push([slot.projection.name, key, json]);
      weight += json.length;
    }
    slot.dirty.clear();
    slot.cache.clear();
  }
};

const apply = (fold: FoldSlot[], fact: LedgerFact) => {
  for (const slot of fold) {
    const snapshot = applyFact(slot, fact, documents.loadDocument);
    if (!snapshot) continue;
    batch.snapshots.push({ projection: slot.projection.name, ...snapshot });
    weight += snapshot.doc.length;
  }
};

/** Sends the batch once the last one is taken; meanwhile the caller goes on folding. */
const sendBatch = async (settled?: number) => {
  const ready = { ...batch, read, ...(settled !== undefined && { settled }) };
  batch = emptyBatch();
  weight = 0;
  await taken;
  taken = new Promise((resolve) => (onTaken = resolve));
  send(ready);
};

const progress = () => {
  if (read - reported < PROGRESS_EVERY) return;
  reported = read;
  send({ type: 'progress', read });
};

/** A stream's facts from a revision on, at positions up to `to`, each handed to `each`, a page at a time. */
const eachFact = async (stream: string, fromRevision: bigint, to: bigint, each: (fact: LedgerFact) => void): Promise<number> => {
  let count = 0;
  for (let revision = fromRevision; ;) {
    const events = await ledger.readStream(stream, revision, to, PAGE);
    for (const event of events) {
      const fact = toLedgerFact(event);
      if (fact) each(fact);
    }
    count += events.length;
    if (events.length < PAGE) return count;
    revision = events.at(-1)!.revision + 1n;
  }
};

/** Every fact of a plan up to `to`: what its business lines are worked out again from. */
const planFacts = async (stream: string, to: bigint): Promise<LedgerFact[]> => {
  const facts: LedgerFact[] = [];
  await eachFact(stream, 0n, to, (fact) => facts.push(fact));
  return facts;
};

/**
 * One stream's events from `fromRevision` on, folded into every projection keyed by stream;
 * a plan the history marked (a fact recorded out of business order, a correction) has its
 * business lines worked out again at once, from the facts just read when they are all of them.
 */
const foldStream = async (stream: string, fromRevision: bigint, to: bigint) => {
  const facts: LedgerFact[] = [];
  read += await eachFact(stream, fromRevision, to, (fact) => {
    apply(byStream, fact);
    facts.push(fact);
    progress();
  });
  if (keeping)
    for (const plan of keeping.history!.dirty())
      keeping.history!.settle(plan, fromRevision === 0n ? facts : await planFacts(planStream(plan), to));
  takeDocuments(byStream);
  takeHistory();
  batch.streams.push(stream);
};

/** The projections keyed across streams, from every stream in ledger order, reading only their event types. */
const foldAcross = async (from: bigint, to: bigint) => {
  if (across.length === 0) return;
  for await (const events of pagesOfTypes(ledger, from, to, acrossTypes, PAGE))
    for (const event of events) {
      const fact = toLedgerFact(event);
      if (fact) apply(across, fact);
    }
  takeDocuments(across);
};

/**
 * Plans the store marks whose streams have nothing to fold here (a one-thread catch-up marked
 * them and stopped), claimed one at a time like the streams and worked out again a batch at a
 * time. Each is named once, and no stream of this rebuild touches it, so one worker alone
 * writes its history.
 */
const settleLeftOver = async (to: bigint, leftOver: string[]) => {
  if (!keeping) return;
  let settled = 0;
  let inBatch = 0;
  for (let claimed = Atomics.add(claims, 1, 1); claimed < leftOver.length; claimed = Atomics.add(claims, 1, 1)) {
    const plan = leftOver[claimed]!;
    keeping.history!.settle(plan, await planFacts(planStream(plan), to));
    settled++;
    if (++inBatch < setup.settlePerBatch) continue;
    takeHistory();
    await sendBatch(settled);
    inBatch = 0;
  }
  if (inBatch > 0) {
    takeHistory();
    await sendBatch(settled);
  }
};

const fold = async (from: bigint, to: bigint, streams: string[], leftOver: string[]) => {
  await foldAcross(from, to);
  for (let claimed = Atomics.add(claims, 0, 1); claimed < streams.length; claimed = Atomics.add(claims, 0, 1)) {
    const stream = streams[claimed]!;
    // A rebuild that stopped may have folded the stream through some position: count those
    // events as done and fold the rest.
    const through = documents.rebuiltThrough(stream);
    let start = from;
    if (through !== undefined && through >= from) {
      read += await ledger.countIn(stream, from, through < to ? through : to);
      start = through + 1n;
    }
    const fromRevision = start > to ? undefined : await ledger.firstRevisionIn(stream, start, to);
    if (fromRevision !== undefined) await foldStream(stream, fromRevision, to);
    if (weight >= setup.batchBytes) await sendBatch();
  }
  if (batch.documents.length > 0 || batch.snapshots.length > 0 || batch.history || batch.streams.length > 0) await sendBatch();
  await settleLeftOver(to, leftOver);
  await taken;
  send({ type: 'done', read });
};

// The coordinating thread sends one fold, then takes each batch in turn.
parentPort!.on('message', (message: ToWorker) => {
  if (message.type === 'fold') void fold(message.from, message.to, message.streams, message.leftOver);
  else if (message.type === 'taken') onTaken?.();
  else {
    ledger.close();
    documents.close();
    parentPort!.close();
  }
});
