import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { BackupTargetFull } from '../../src/backup/backup-errors.ts';
import { completeBackups } from '../../src/backup/backup-names.ts';
import { takeBackup } from '../../src/backup/take-backup.ts';
import { backupPartsFor } from '../../src/backup/backup-parts.ts';
import { mountSmallDisk, smallDiskSupport } from '../support/small-disk.ts';
import { backupFixture } from './backup-fixture.ts';

const support = smallDiskSupport();
if (!support.available) console.log(`skipped: the full-target backup tests need a small tmpfs: ${support.reason}`);

/** Backups onto a real disk of 1 or 2 MiB. */
describe.skipIf(!support.available)('a backup target with too little space (a real small tmpfs)', () => {
  let disk: ReturnType<typeof mountSmallDisk>;
  let fixture: Awaited<ReturnType<typeof backupFixture>>;
  afterEach(async () => {
    disk.remove();
    await fixture.cleanup();
  });

  it('ledger backup exits 4 with a clear message before writing anything', async () => {
    fixture = await backupFixture({ events: 3000 });
    disk = mountSmallDisk('1m');
    const result = spawnSync(process.execPath, ['bin/ledger.js', 'backup', '-d', fixture.dataDir, '--to', disk.path], { encoding: 'utf8' });
    expect(result.status, result.stdout + result.stderr).toBe(4);
    expect(result.stderr.trim()).toMatch(
      new RegExp(
        `^ledger backup: not enough space in ${disk.path} for the backup: it needs about [\\d.]+ MiB and [\\d.]+ MiB is free; nothing was written$`,
      ),
    );
    expect(fs.readdirSync(disk.path)).toEqual([]);
  }, 90_000);

  it('a disk that fills up during the copy: BackupTargetFull, and the partial copy is removed', async () => {
    fixture = await backupFixture({ events: 300 });
    disk = mountSmallDisk('2m');
    const taken = takeBackup({
      source: fixture.backend.backup!,
      parts: backupPartsFor(fixture.backend.backup!.parts(), fixture.dataDir),
      backendKind: 'sqlite',
      dataDir: fixture.dataDir,
      to: disk.path,
      key: fixture.key,
      keyKeptAt: 'test',
      // Another program takes the rest of the disk once the first part is copied.
      say: (line) => line.startsWith('copied the kept checkpoint') && disk.fill(),
    });
    await expect(taken).rejects.toBeInstanceOf(BackupTargetFull);
    await expect(taken).rejects.toThrow(/filled up during the backup .*; the partial copy was removed$/);
    expect(fs.readdirSync(disk.path)).toEqual(['filler']);
    expect(completeBackups(disk.path)).toEqual([]);
  }, 90_000);
});
