import { asAppended } from '../../events/envelope.ts';
import type { EventStore } from '../store/port.ts';
import type { ChainCheckRequest, ChainSliceResult } from './chain-check.ts';
import { canonicalJson } from './canonical-json.ts';
import { verifyChainRange, type ChainRow, type ChainRowSource } from './verify-chains.ts';

/**
 * The chain check's rows read through the event-store port alone: what a backend without a
 * faster way of its own gives verify. The body is the canonical form of the event as appended,
 * which is exactly what its chain hash covers, so the check is the same as on SQLite's stored text.
 */
type EventRow = [...ChainRow, recordedAt: string];

export const chainRowsFromEvents = (events: Pick<EventStore, 'readAll' | 'readStream'>): ChainRowSource<EventRow> => ({
  async rows(from, to, limit) {
    const rows: EventRow[] = [];
    for await (const event of events.readAll({ fromPosition: BigInt(from), limit: Math.min(limit, to - from) })) {
      // The hash is absent only in a damaged store: then nothing matches it, and the check says so.
      rows.push([
        Number(event.position),
        event.stream,
        Number(event.revision),
        canonicalJson(asAppended(event)),
        event.hash ?? null,
        event.recordedAt,
      ]);
    }
    return rows;
  },
  async event(stream, revision) {
    for await (const event of events.readStream(stream, { fromRevision: BigInt(revision) }))
      return event.revision === BigInt(revision) ? { position: Number(event.position), hash: event.hash ?? null } : undefined;
    return undefined;
  },
  // ChainRow ends in an open list of backend columns, so the tuple types this one as unknown.
  recordedAt: (row) => row[5] as string,
});

/** The whole ledger checked as one slice on this thread: VerificationView.checkChains for any backend. */
export const checkChainsInOneSlice = async <R extends ChainRow>(
  source: ChainRowSource<R>,
  request: ChainCheckRequest,
): Promise<ChainSliceResult[]> => {
  const total = Number(request.size);
  const sizes = request.checkpointSizes.map(Number);
  const result = await verifyChainRange(source, 0, total, sizes, (checked) => request.onProgress?.(checked, total));
  return [{ from: 0n, ...result }];
};
