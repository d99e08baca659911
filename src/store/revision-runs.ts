import type { StoredEvent } from '../../events/envelope.ts';
import type { ReadStreamOptions } from './port.ts';

/**
 * Revisions as EventStore.readRevisions reads them: each once, ascending, as bigint (events carry
 * theirs so). A negative one names no event.
 */
export const sortedRevisions = (revisions: readonly bigint[]): bigint[] => {
  const asked = revisions.map((revision) => BigInt(revision));
  for (const revision of asked) if (revision < 0n) throw new RangeError(`readRevisions: a revision is >= 0, got ${revision}`);
  return [...new Set(asked)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
};

/**
 * A read costs about as much as this many more events: two revisions with at most this many
 * events between them are read in one run, those events passed over.
 */
const EVENTS_PER_READ = 6n;

/**
 * EventStore.readRevisions over readStream, for a backend with no read of chosen revisions: the
 * revisions in runs, each one read, the events between them in a run left out.
 */
export const readRevisionsInRuns = (
  readStream: (stream: string, options: ReadStreamOptions) => AsyncIterable<StoredEvent>,
  stream: string,
  revisions: readonly bigint[],
): AsyncIterable<StoredEvent> => eventsInRuns(readStream, stream, sortedRevisions(revisions));

async function* eventsInRuns(
  readStream: (stream: string, options: ReadStreamOptions) => AsyncIterable<StoredEvent>,
  stream: string,
  wanted: bigint[],
): AsyncGenerator<StoredEvent> {
  const runs: { from: bigint; to: bigint }[] = [];
  for (const revision of wanted) {
    const last = runs.at(-1);
    if (last && revision - last.to - 1n <= EVENTS_PER_READ) last.to = revision;
    else runs.push({ from: revision, to: revision });
  }
  const asked = new Set(wanted);
  for (const { from, to } of runs)
    for await (const event of readStream(stream, { fromRevision: from, limit: Number(to - from) + 1 }))
      if (asked.has(event.revision)) yield event;
}
