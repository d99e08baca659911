import type { ChunkDone } from './rebuild-protocol.ts';

/** Never fewer events than this in a chunk (or a tenth of the most): each chunk rewrites every document it touched. */
const FEWEST_CHUNK_EVENTS = 5_000;

/** What a worker's answer to a chunk weighs: the text and bytes it carries (documents, snapshots, history). */
export const answerBytes = (answer: ChunkDone): number => {
  let bytes = 0;
  for (const [, , json] of answer.documents) bytes += json.length;
  for (const snapshot of answer.snapshots) bytes += snapshot.doc.length;
  const history = answer.history?.write;
  if (history) {
    for (const { block } of history.ledgerBlocks) bytes += block.bytes.length;
    for (const { blocks } of history.business) for (const block of blocks) bytes += block.bytes.length;
    for (const [, json] of history.values) bytes += json.length;
  }
  return bytes;
};

/**
 * The events the next chunk of a parallel rebuild covers, given the heaviest answer to the
 * last: a worker holds its chunk's answer until it is sent, and the committing thread every
 * worker's, so an answer over `maxBytes` shrinks the next chunk in proportion, and one well
 * under it lets the chunk grow back towards `maxEvents`. Answers grow with the documents a
 * chunk touches and their size, which grow with the ledger's plans and their events: this
 * keeps a rebuild's memory bounded by `maxBytes` whatever the ledger's size.
 */
export const nextChunkEvents = (current: number, heaviest: number, limits: { maxEvents: number; maxBytes: number }): number => {
  const fewest = Math.max(1, Math.min(FEWEST_CHUNK_EVENTS, Math.floor(limits.maxEvents / 10)));
  if (heaviest > limits.maxBytes) return Math.max(fewest, Math.floor((current * limits.maxBytes) / heaviest));
  if (heaviest < limits.maxBytes / 2) return Math.min(limits.maxEvents, current * 2);
  return current;
};
