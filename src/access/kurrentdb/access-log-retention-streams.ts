import { BACKWARDS, END, FORWARDS, START, type RecordedEvent, type ReadStreamOptions } from '@kurrent/kurrentdb-client';
import { z } from 'zod';
import type { Engine } from '../../store/kurrentdb/engine-client.ts';
import { isStreamNotFound, translateEngineError, wrongExpectedVersion } from '../../store/kurrentdb/engine-errors.ts';
import { openMetaStream } from '../../store/kurrentdb/meta-stream.ts';
import type { AccessLogRetention, ArchiveRecord } from '../archive/port.ts';
import type { LoggedAccess } from '../port.ts';
import { decodeAccessRecord } from './access-log-stream.ts';

const PAGE = 500;
const MAX_RACES = 20;
const ARCHIVED = 'AccessLogPeriodArchived';

const Archive = z.object({
  period: z.string(),
  firstId: z.number().int().positive(),
  lastId: z.number().int().positive(),
  count: z.number().int().nonnegative(),
  previousHash: z.string(),
  finalHash: z.string(),
  file: z.string(),
  fileSha256: z.string(),
  archivedAt: z.string(),
  archivedBy: z.string(),
});

const decodeArchive = (record: RecordedEvent): ArchiveRecord => {
  const parsed = record.type === ARCHIVED ? Archive.safeParse(record.data) : undefined;
  if (!parsed?.success) throw new Error(`event ${record.id} in ${record.streamId} is not an access-log archive record`);
  return parsed.data;
};

/**
 * The last id archived without a gap from the first archive on: entries up to it may leave the
 * live stream. An archive that does not continue the one before (which the archiver never
 * writes) stops the run, so nothing past a gap is ever removed.
 */
export const archivedThrough = (archives: readonly ArchiveRecord[]): number => {
  const sorted = [...archives].sort((a, b) => a.firstId - b.firstId);
  let through = sorted.length > 0 ? sorted[0]!.firstId - 1 : 0;
  for (const archive of sorted) {
    if (archive.firstId !== through + 1) break;
    through = archive.lastId;
  }
  return through;
};

/**
 * Archiving support for the access log in the engine (`ledger-meta:access-log`, where an entry's
 * id is its revision plus one).
 *
 * Each archived period is recorded as an event of `ledger-meta:access-log-archives`, appended at
 * the exact revision it was decided on, so two operators archiving at once record each period
 * once. Then the stream's `truncateBefore` metadata moves past the archived entries: the engine
 * stops returning them at once, and its next scavenge gives their space back. That is the only
 * way this adapter removes entries, and it never moves past an id an archive record covers, so a
 * removal without archiving shows in verify as a gap no archive explains. Revisions keep counting
 * on, so ids never come back.
 */
export const openAccessLogRetentionStreams = ({ client, address, names }: Engine): AccessLogRetention & { close(): Promise<void> } => {
  const stream = names.accessLog;
  const archiveStream = openMetaStream({ client, address, stream: names.accessLogArchives, decode: decodeArchive });

  const read = async function* (options: ReadStreamOptions): AsyncIterable<LoggedAccess> {
    try {
      for await (const resolved of client.readStream(stream, { ...options, requiresLeader: true }))
        if (resolved.event) yield decodeAccessRecord(resolved.event);
    } catch (error) {
      if (!isStreamNotFound(error)) throw translateEngineError(error, address, 'a read of the access log');
    }
  };
  const one = async (options: ReadStreamOptions): Promise<LoggedAccess | undefined> => {
    for await (const entry of read({ ...options, maxCount: 1 })) return entry;
    return undefined;
  };
  /** Live entries from `fromId` on, page by page. */
  const from = async function* (fromId: number): AsyncIterable<LoggedAccess> {
    for (let revision = BigInt(Math.max(fromId, 1) - 1); ;) {
      let seen = 0;
      for await (const entry of read({ fromRevision: revision, maxCount: PAGE, direction: FORWARDS })) {
        seen++;
        revision = BigInt(entry.id);
        yield entry;
      }
      if (seen < PAGE) return;
    }
  };
  const liveRange = async () => {
    const first = await one({ fromRevision: START, direction: FORWARDS });
    const last = first && (await one({ fromRevision: END, direction: BACKWARDS }));
    // Ids are revisions, and entries leave only from the front: the live ones are dense.
    return first && last ? { firstId: first.id, lastId: last.id, count: last.id - first.id + 1 } : undefined;
  };

  /**
   * Moves `truncateBefore` (a revision: the entry with id `through` is revision through - 1, so
   * truncating before revision `through` removes ids up to it) forward, never back, keeping any
   * other metadata an operator set (ACLs, ...). Written at the metadata's exact revision, so an
   * archiver that read it before another moved it reads it again.
   */
  const truncateThrough = async (through: number): Promise<void> => {
    for (let race = 0; ; race++) {
      try {
        const { metadata, metastreamRevision } = await client.getStreamMetadata(stream);
        const current = typeof metadata?.truncateBefore === 'number' ? metadata.truncateBefore : 0;
        if (through <= current) return;
        await client.setStreamMetadata(
          stream,
          { ...metadata, truncateBefore: through },
          { expectedRevision: metastreamRevision ?? 'no_stream' },
        );
        return;
      } catch (error) {
        if (wrongExpectedVersion(error) && race < MAX_RACES) continue;
        throw translateEngineError(error, address, 'moving the access log past its archived entries');
      }
    }
  };

  return {
    liveRange,
    async liveCountFrom(firstId) {
      const range = await liveRange();
      return range ? Math.max(0, range.lastId - Math.max(range.firstId, firstId) + 1) : 0;
    },
    async firstIdAtOrAfter(instant, fromId) {
      for await (const entry of from(fromId)) if (entry.at >= instant) return entry.id;
      return undefined;
    },
    async *entries(firstId, lastId) {
      for await (const entry of from(firstId)) {
        if (entry.id > lastId) return;
        yield entry;
      }
    },
    async archives() {
      await archiveStream.refresh();
      return [...archiveStream.items()].sort((a, b) => a.firstId - b.firstId);
    },
    async recordArchive(record) {
      await archiveStream.update((current) => ({
        events: current.some((a) => a.period === record.period)
          ? []
          : [{ id: crypto.randomUUID(), contentType: 'application/json', type: ARCHIVED, data: { ...record }, metadata: undefined }],
        result: undefined,
      }));
      await truncateThrough(archivedThrough(archiveStream.items()));
    },
    // The engine gives truncated entries' space back in its own scavenge, which the operator runs (docs/operations.md).
    compact: async () =>
      'on KurrentDB the archived entries are truncated from the stream; the engine gives their space back at its next scavenge',
    close: () => archiveStream.whenIdle(),
  };
};
