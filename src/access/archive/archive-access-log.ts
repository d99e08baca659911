import fs from 'node:fs';
import path from 'node:path';
import { fsyncDir, sha256OfFile } from '../../files/durable-files.ts';
import type { LedgerSigningKey } from '../../integrity/signing-key.ts';
import type { AccessLogRetention, ArchiveRecord } from './port.ts';
import { chainHash, GENESIS, SEGMENT_FORMAT, signFooter, type SegmentHeader } from './segment.ts';

/** "2026-10" → the first instant of the month after it, UTC. */
const monthAfter = (period: string): string => {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 1)).toISOString();
};
/** The month an ISO instant falls in, UTC. */
export const periodOf = (instant: string): string => instant.slice(0, 7);
/** The month `months` before the month of `now`, UTC: live months are kept from there on. */
export const periodMonthsBefore = (now: Date, months: number): string =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1)).toISOString().slice(0, 7);

export interface ArchiveOptions {
  retention: AccessLogRetention;
  /** The archive folder (in the data directory, so backups carry it). */
  folder: string;
  key: LedgerSigningKey;
  /** Months before this one ("2026-10") are archived; this month and later stay live. */
  before: string;
  by: string;
  clock?: () => Date;
  say?: (line: string) => void;
}

/**
 * Archives every closed month before `before` that still has live entries, oldest first: writes
 * its segment (to a temporary name, flushed, renamed), records the archive, then removes the
 * archived entries from the live log. Segments are contiguous in ids: a month's segment holds
 * every entry after the previous segment up to the first one recorded once the month was over.
 * An entry whose time lies before a later one's (another instance's clock a little behind)
 * stays with its neighbours in id order: it is archived with the month it was written among.
 */
export const archiveAccessLog = async (options: ArchiveOptions): Promise<ArchiveRecord[]> => {
  const { retention, folder, key } = options;
  const clock = options.clock ?? (() => new Date());
  const say = options.say ?? (() => undefined);
  fs.mkdirSync(folder, { recursive: true });
  // A run stopped after recording an archive but before removing all of its entries is finished first.
  const live = await retention.liveRange();
  for (const record of await retention.archives()) if (live && live.firstId <= record.lastId) await retention.recordArchive(record);
  const made: ArchiveRecord[] = [];
  for (;;) {
    const archives = await retention.archives();
    const last = archives.at(-1);
    const live = await retention.liveRange();
    if (!live) break;
    const firstId = Math.max(live.firstId, (last?.lastId ?? 0) + 1);
    const first = (await firstEntry(retention, firstId, live.lastId))?.at;
    if (first === undefined || periodOf(first) >= options.before) break;
    const period = periodOf(first);
    // Cut at the first entry (in id order) recorded once the month was over: segments stay contiguous in ids.
    const next = await retention.firstIdAtOrAfter(monthAfter(period), firstId);
    const lastId = next === undefined ? live.lastId : next - 1;
    const header: SegmentHeader = { format: SEGMENT_FORMAT, period, firstId, lastId, previousHash: last?.finalHash ?? GENESIS };
    const file = `access-log-${period}.jsonl`;
    const target = path.join(folder, file);
    const temporary = `${target}.tmp`;
    const fd = fs.openSync(temporary, 'w');
    let hash = header.previousHash;
    let count = 0;
    try {
      fs.writeSync(fd, `${JSON.stringify(header)}\n`);
      for await (const entry of retention.entries(firstId, lastId)) {
        hash = chainHash(hash, entry);
        count++;
        fs.writeSync(fd, `${JSON.stringify({ entry, hash })}\n`);
      }
      const archivedAt = clock().toISOString();
      fs.writeSync(fd, `${JSON.stringify(signFooter(key, header, { count, finalHash: hash, archivedAt, archivedBy: options.by }))}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, target);
    fsyncDir(folder);
    const record: ArchiveRecord = {
      period,
      firstId,
      lastId,
      count,
      previousHash: header.previousHash,
      finalHash: hash,
      file,
      fileSha256: await sha256OfFile(target),
      archivedAt: clock().toISOString(),
      archivedBy: options.by,
    };
    await retention.recordArchive(record);
    made.push(record);
    say(`archived ${period}: entries ${firstId}–${lastId} (${count}) to ${target}, sha256 ${record.fileSha256}`);
  }
  return made;
};

const firstEntry = async (retention: AccessLogRetention, from: number, to: number) => {
  for await (const entry of retention.entries(from, to)) return entry;
  return undefined;
};
