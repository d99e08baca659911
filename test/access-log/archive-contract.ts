import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { archiveAccessLog } from '../../src/access/archive/archive-access-log.ts';
import { ACCESS_LOG_ARCHIVE_FOLDER } from '../../src/access/archive/archive-folder.ts';
import { verifyAccessLog } from '../../src/access/archive/verify-access-log.ts';
import type { AccessLogEntry } from '../../src/access/port.ts';
import type { Backend } from '../../src/backend/backend.ts';
import { loadSigningKey } from '../../src/integrity/signing-key.ts';
import { makeTempDir } from '../support/temp-dir.ts';

export const entry = (at: string, requestId: string): AccessLogEntry => ({
  at,
  principalId: 'api-key:0123456789abcdef',
  principalName: 'Robin Auditor',
  role: 'auditor',
  organisation: 'Dorset CCG',
  method: 'GET',
  route: '/plans/:planId/events',
  path: '/plans/dorset/events',
  planId: 'dorset',
  status: 200,
  requestId,
  ip: '127.0.0.1',
});

/**
 * A backend on a fresh data dir, and a way to remove two live entries without archiving them, as
 * someone with raw access could; it answers with the problem verify must report.
 */
export type Target = { open: (dataDir: string) => Promise<Backend>; removeBehindItsBack: (dataDir: string) => Promise<string> };

export /**
 * A backend with reads in August, September and October 2026 (by default), and archive and
 * verify on it; closed and removed after each test.
 */
const useArchiveFixture = (makeTarget: () => Target) => {
  let dir: ReturnType<typeof makeTempDir> | undefined;
  let backend: Backend | undefined;
  let target: Target;
  afterEach(async () => {
    await backend?.close();
    dir?.remove();
  });
  const setUp = async (months: Record<string, number> = { '2026-08': 30, '2026-09': 20, '2026-10': 10 }) => {
    dir = makeTempDir('ledger-archive-');
    target = makeTarget();
    const opened = await target.open(dir.path);
    backend = opened;
    const key = loadSigningKey({ dataDir: dir.path }).key;
    for (const [month, n] of Object.entries(months))
      await Promise.all(
        Array.from({ length: n }, (_, i) => opened.accessLog.record(entry(`${month}-1${i % 9}T10:00:00.000Z`, `${month}-${i}`))),
      );
    const folder = path.join(dir.path, ACCESS_LOG_ARCHIVE_FOLDER);
    const retention = opened.accessLogRetention;
    const archive = (before: string) => archiveAccessLog({ retention, folder, key, before, by: 'cli:jo@host' });
    const verify = () => verifyAccessLog({ retention, folder, publicKey: key.publicKey });
    const removeBehindItsBack = () => target.removeBehindItsBack(dir!.path);
    return { backend: opened, dataDir: dir.path, folder, retention, archive, verify, removeBehindItsBack };
  };
  return setUp;
};

/** What archiving the access log means on every backend: the same checks on each. */
export const describeAccessLogArchiveContract = (name: string, makeTarget: () => Target) =>
  describe(`archiving the access log: ${name}`, () => {
    const setUp = useArchiveFixture(makeTarget);

    it('moves each closed month before the cutoff to a signed segment, keeps the rest live, and verify holds', async () => {
      const { folder, retention, archive, verify } = await setUp();
      const made = await archive('2026-10');
      expect(made.map((a) => [a.period, a.firstId, a.lastId, a.count])).toEqual([
        ['2026-08', 1, 30, 30],
        ['2026-09', 31, 50, 20],
      ]);
      expect(fs.readdirSync(folder).sort()).toEqual(['access-log-2026-08.jsonl', 'access-log-2026-09.jsonl']);
      expect(await retention.liveRange()).toEqual({ firstId: 51, lastId: 60, count: 10 });
      const report = await verify();
      expect(report.problems).toEqual([]);
      expect(report).toMatchObject({ ok: true, archivedEntries: 50, live: { firstId: 51, lastId: 60, count: 10 } });
      expect(report.archives[0]).toMatchObject({ period: '2026-08', archivedBy: 'cli:jo@host' });
      expect(await archive('2026-10')).toEqual([]);
    });

    it('the archived entries leave the live log: a query of it starts after them', async () => {
      const { backend, archive } = await setUp();
      await archive('2026-10');
      const { entries } = await backend.accessLog.query({ limit: 100 });
      expect(entries.map((e) => e.id)).toEqual(Array.from({ length: 10 }, (_, i) => 51 + i));
    });

    it('tells a removal behind its back apart from archiving, naming the entries', async () => {
      const { archive, verify, removeBehindItsBack } = await setUp();
      await archive('2026-10');
      const expected = await removeBehindItsBack();
      const report = await verify();
      expect(report.ok).toBe(false);
      expect(report.problems).toEqual([expected]);
    });

    it('names a segment file that was edited and one that is missing', async () => {
      const { folder, archive, verify } = await setUp();
      await archive('2026-10');
      const august = path.join(folder, 'access-log-2026-08.jsonl');
      const september = path.join(folder, 'access-log-2026-09.jsonl');
      fs.writeFileSync(august, fs.readFileSync(august, 'utf8').replace('"status":200', '"status":404'));
      fs.rmSync(september);
      const report = await verify();
      expect(report.problems).toEqual([
        `the segment file of 2026-08 (${august}) has changed since it was archived`,
        expect.stringMatching(new RegExp(`^the segment file of 2026-09 \\(${september}\\), archived .* by cli:jo@host, is missing$`)),
      ]);
    });

    it('keeps segments contiguous in ids when an entry was recorded with an earlier time than the one before it', async () => {
      const { backend, archive, verify, retention } = await setUp({ '2026-08': 5, '2026-09': 5, '2026-10': 2 });
      // Another instance's clock a little behind: an August time written after the October entries.
      await backend.accessLog.record(entry('2026-08-31T23:59:59.000Z', 'late'));
      const made = await archive('2026-10');
      expect(made.map((a) => [a.period, a.firstId, a.lastId])).toEqual([
        ['2026-08', 1, 5],
        ['2026-09', 6, 10],
      ]);
      expect(await retention.liveRange()).toEqual({ firstId: 11, lastId: 13, count: 3 });
      expect((await verify()).ok).toBe(true);
    });

    it('keeps ids growing after every live entry was archived', async () => {
      const { backend, retention, archive, verify } = await setUp();
      await archive('2099-01');
      expect(await retention.liveRange()).toBeUndefined();
      await backend.accessLog.record(entry('2026-11-01T09:00:00.000Z', 'after'));
      expect(await retention.liveRange()).toEqual({ firstId: 61, lastId: 61, count: 1 });
      expect((await verify()).ok).toBe(true);
    });
  });
