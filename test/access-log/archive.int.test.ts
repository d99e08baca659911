import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { archiveAccessLog } from '../../src/access/archive/archive-access-log.ts';
import { ACCESS_LOG_ARCHIVE_FOLDER } from '../../src/access/archive/archive-folder.ts';
import { verifyAccessLog } from '../../src/access/archive/verify-access-log.ts';
import type { AccessLogEntry } from '../../src/access/port.ts';
import { accessFiles } from '../../src/access/sqlite/access-db.ts';
import type { Backend } from '../../src/backend/backend.ts';
import { openBackend } from '../../src/backend/open-backend.ts';
import { loadSigningKey } from '../../src/integrity/signing-key.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const entry = (at: string, requestId: string): AccessLogEntry => ({
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

/** The embedded access log with reads in August, September and October 2026, archived and checked. */
describe('archiving the access log', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let backend: Backend;
  afterEach(async () => {
    await backend.close();
    dir.remove();
  });

  const setUp = async (months: Record<string, number> = { '2026-08': 30, '2026-09': 20, '2026-10': 10 }) => {
    dir = makeTempDir('ledger-archive-');
    backend = await openBackend({ store: { kind: 'sqlite' }, dataDir: dir.path });
    const key = loadSigningKey({ dataDir: dir.path }).key;
    for (const [month, n] of Object.entries(months))
      await Promise.all(
        Array.from({ length: n }, (_, i) => backend.accessLog.record(entry(`${month}-1${i % 9}T10:00:00.000Z`, `${month}-${i}`))),
      );
    const folder = path.join(dir.path, ACCESS_LOG_ARCHIVE_FOLDER);
    const retention = backend.accessLogRetention!;
    const archive = (before: string) => archiveAccessLog({ retention, folder, key, before, by: 'cli:jo@host' });
    const verify = () => verifyAccessLog({ retention, folder, publicKey: key.publicKey });
    return { folder, retention, archive, verify };
  };
  const raw = () => new Database(accessFiles(dir.path).log);

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

  it('refuses to delete an entry that no archive covers', async () => {
    await setUp();
    const db = raw();
    try {
      expect(() => db.prepare('DELETE FROM access_log WHERE id = 55').run()).toThrow(/only archived entries leave it/);
      expect(() => db.prepare('UPDATE access_log SET status = 500 WHERE id = 55').run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
  });

  it('tells a deletion behind its back apart from archiving, naming the entries', async () => {
    const { archive, verify } = await setUp();
    await archive('2026-10');
    const db = raw();
    try {
      db.exec('DROP TRIGGER access_log_delete_only_archived; DELETE FROM access_log WHERE id IN (53, 54)');
    } finally {
      db.close();
    }
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(['entries 53–54 are missing from the live access log and in no archive: removed without archiving']);
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

  it('leaves the live database small: archiving then compacting gives the archived months back to the disk', async () => {
    const { retention, archive } = await setUp({ '2026-08': 3000, '2026-10': 10 });
    const file = accessFiles(dir.path).log;
    const sizeOf = () => fs.statSync(file).size + (fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0);
    const before = sizeOf();
    await archive('2026-10');
    await retention.compact();
    expect(await retention.liveRange()).toEqual({ firstId: 3001, lastId: 3010, count: 10 });
    expect(sizeOf()).toBeLessThan(before / 4);
  });

  it('keeps segments contiguous in ids when an entry was recorded with an earlier time than the one before it', async () => {
    const { archive, verify, retention } = await setUp({ '2026-08': 5, '2026-09': 5, '2026-10': 2 });
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
    const { retention, archive, verify } = await setUp();
    await archive('2099-01');
    expect(await retention.liveRange()).toBeUndefined();
    await backend.accessLog.record(entry('2026-11-01T09:00:00.000Z', 'after'));
    expect(await retention.liveRange()).toEqual({ firstId: 61, lastId: 61, count: 1 });
    expect((await verify()).ok).toBe(true);
  });
});
