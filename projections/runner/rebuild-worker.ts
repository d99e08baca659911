import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { toStoredEvent, type EventRow } from '../../src/store/sqlite/codec.ts';
import { EVENT_COLUMNS } from '../../src/store/sqlite/statements.ts';
import { toLedgerFact } from '../ledger-fact.ts';
import { projections as registered } from '../read-models.ts';
import { applyFact, type FoldSlot } from './apply-fact.ts';
import type { AnyProjection } from './projection.ts';
import { streamPartition } from './stream-partition.ts';
import type { ChunkDone, ToWorker, WorkerSetup } from './parallel-rebuild.ts';

/**
 * One partition of a parallel rebuild: reads every event of each chunk from the ledger file,
 * folds only the streams of its partition (the rest are skipped unparsed), and hands back
 * the changed documents as JSON text. It never writes: the coordinating thread commits each
 * chunk's documents with the checkpoint, and only then sends the next chunk, so a document
 * this worker dropped from its cache can be read back from the read store.
 */
const setup = workerData as WorkerSetup;
const PAGE = 5000;
const PROGRESS_EVERY = 20_000;

const chosen: AnyProjection[] = setup.projections.map(({ name, snapshotEvery }) => {
  const projection = registered.find((p) => p.name === name);
  if (!projection) throw new Error(`rebuild worker: no projection named ${name}`);
  return { ...projection, snapshotEvery };
});
const ledger = new Database(setup.ledgerFile, { readonly: true });
const page = ledger
  .prepare<[number, number, number], EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE position >= ? AND position <= ? ORDER BY position LIMIT ?`,
  )
  .safeIntegers(true);
const readStore = new Database(setup.readStoreFile, { readonly: true });
const loadDoc = readStore.prepare<[string, string], string>('SELECT doc FROM documents WHERE projection = ? AND key = ?').pluck();

const slots: FoldSlot[] = chosen.map((projection) => ({ projection, cache: new Map<string, unknown>(), dirty: new Set<string>() }));

const readDocument = (projection: string, key: string): string | undefined => loadDoc.get(projection, key);

const runChunk = (from: number, to: number): ChunkDone => {
  const snapshots: ChunkDone['snapshots'] = [];
  let next = from;
  let read = 0;
  for (;;) {
    const rows = page.all(next, to, PAGE);
    for (const row of rows) {
      read++;
      if (streamPartition(row.stream, setup.partitions) !== setup.partition) continue;
      const fact = toLedgerFact(toStoredEvent(row));
      if (!fact) continue;
      for (const slot of slots) {
        const snapshot = applyFact(slot, fact, readDocument);
        if (snapshot) snapshots.push({ projection: slot.projection.name, ...snapshot });
      }
    }
    if (read % PROGRESS_EVERY < rows.length) parentPort!.postMessage({ type: 'progress', read });
    if (rows.length < PAGE) break;
    next = Number(rows[rows.length - 1]!.position) + 1;
  }
  const documents: ChunkDone['documents'] = [];
  for (const slot of slots) {
    for (const key of slot.dirty) documents.push([slot.projection.name, key, JSON.stringify(slot.cache.get(key))]);
    slot.dirty.clear();
    // Every chunk starts from the read store: what is dropped here is committed before the
    // next chunk arrives. Keeping documents across chunks held a second copy of every plan in
    // each worker (peak memory went from ~0.8 to ~1.1 GiB on a 1M-event ledger) and saved no
    // time: reading a document back costs about what writing it out each chunk already does.
    slot.cache.clear();
  }
  return { type: 'chunk-done', read, documents, snapshots };
};

parentPort!.on('message', (message: ToWorker) => {
  if (message.type === 'chunk') parentPort!.postMessage(runChunk(message.from, message.to));
  else {
    ledger.close();
    readStore.close();
    parentPort!.close();
  }
});
