import type { KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sha256OfFile } from '../../files/durable-files.ts';
import type { AccessLogRetention } from './port.ts';
import { checkSegmentText, GENESIS } from './segment.ts';

export interface AccessLogVerifyReport {
  ok: boolean;
  /** Archived periods, in order, each with what was found. */
  archives: { period: string; firstId: number; lastId: number; count: number; archivedAt: string; archivedBy: string }[];
  archivedEntries: number;
  live: { firstId: number; lastId: number; count: number } | undefined;
  /** Each problem in one line, naming the period or ids. Empty when ok. */
  problems: string[];
}

/**
 * Checks the whole access log, archived and live: the archive records form one unbroken series
 * from entry 1 (each segment starting where the previous ended, its chain from the previous
 * final hash); each segment file is there, unchanged since archiving (its sha256), holds together
 * (chain, ids, count) and is signed by the ledger key; and the live entries continue the series
 * with no id missing. Archiving is told apart from deletion: an archived period is listed with
 * when and by whom, a missing segment file is named as such, and ids that are neither live nor
 * in an archive are reported as removed.
 */
export const verifyAccessLog = async (options: {
  retention: AccessLogRetention;
  folder: string;
  publicKey: KeyObject;
}): Promise<AccessLogVerifyReport> => {
  const { retention, folder } = options;
  const problems: string[] = [];
  const archives = await retention.archives();
  let expectedFirst = 1;
  let expectedPrevious = GENESIS;
  for (const a of archives) {
    if (a.firstId !== expectedFirst)
      problems.push(
        a.firstId > expectedFirst
          ? `entries ${expectedFirst}–${a.firstId - 1} are in no archive and not live: removed without archiving`
          : `the archive of ${a.period} starts at entry ${a.firstId}, inside the archive before it (which ends at ${expectedFirst - 1})`,
      );
    if (a.previousHash !== expectedPrevious)
      problems.push(`the archive of ${a.period} does not continue the chain of the archive before it`);
    const file = path.join(folder, a.file);
    if (!fs.existsSync(file))
      problems.push(`the segment file of ${a.period} (${file}), archived ${a.archivedAt} by ${a.archivedBy}, is missing`);
    else if ((await sha256OfFile(file)) !== a.fileSha256)
      problems.push(`the segment file of ${a.period} (${file}) has changed since it was archived`);
    else {
      const check = checkSegmentText(fs.readFileSync(file, 'utf8'), options.publicKey);
      if (!check.ok) problems.push(`the segment of ${a.period}: ${check.problem}`);
      else if (check.header.firstId !== a.firstId || check.header.lastId !== a.lastId || check.footer.finalHash !== a.finalHash)
        problems.push(`the segment file of ${a.period} is not the one its archive record describes`);
    }
    expectedFirst = a.lastId + 1;
    expectedPrevious = a.finalHash;
  }
  const live = await retention.liveRange();
  if (live) {
    const from = Math.max(live.firstId, expectedFirst);
    if (live.firstId > expectedFirst)
      problems.push(`entries ${expectedFirst}–${live.firstId - 1} are in no archive and not live: removed without archiving`);
    const count = await retention.liveCountFrom(from);
    if (count !== live.lastId - from + 1) {
      let expected = from;
      for await (const entry of retention.entries(from, live.lastId)) {
        if (entry.id !== expected) {
          problems.push(
            `entries ${expected}–${entry.id - 1} are missing from the live access log and in no archive: removed without archiving`,
          );
          if (problems.length > 20) break;
        }
        expected = entry.id + 1;
      }
    }
  }
  return {
    ok: problems.length === 0,
    archives: archives.map(({ period, firstId, lastId, count, archivedAt, archivedBy }) => ({
      period,
      firstId,
      lastId,
      count,
      archivedAt,
      archivedBy,
    })),
    archivedEntries: archives.reduce((sum, a) => sum + a.count, 0),
    live,
    problems,
  };
};
