import { planIdOfStream } from '../../events/streams.ts';
import type { EventStore } from '../store/port.ts';

/**
 * Every erasure in the ledger by content hash, read from the events (for the command line, which
 * has no read models): content is kept once, so an erasure through any plan removed it.
 */
export const erasuresInLedger = async (events: Pick<EventStore, 'readAll'>): Promise<Map<string, { recordedAt: string }>> => {
  const erasures = new Map<string, { recordedAt: string }>();
  for await (const event of events.readAll())
    if (event.type === 'EvidenceErased' && planIdOfStream(event.stream) !== undefined && !erasures.has(event.data['sha256'] as string))
      erasures.set(event.data['sha256'] as string, { recordedAt: event.recordedAt });
  return erasures;
};
