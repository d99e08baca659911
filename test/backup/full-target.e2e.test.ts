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
    await expect(taken).rejects.toThrow(
      /^the disk holding .* ran out of space while backing up \((ENOSPC|SQLITE_FULL)\); the partial copy was removed$/,
    );
    expect(fs.readdirSync(disk.path)).toEqual(['filler']);
    expect(completeBackups(disk.path)).toEqual([]);
  }, 90_000);

  /** Runs the real `ledger` command to its end. */
  const ledger = (...args: string[]) => spawnSync(process.execPath, ['bin/ledger.js', ...args], { encoding: 'utf8' });

  it('ledger backup onto a disk with no room for even its folder exits 4 saying so in one sentence, not mkdir ENOSPC', async () => {
    fixture = await backupFixture();
    disk = mountSmallDisk('1m', { inodes: 1 });
    const to = `${disk.path}/backups`;
    const result = ledger('backup', '-d', fixture.dataDir, '--to', to);
    expect(result.status, result.stdout + result.stderr).toBe(4);
    expect(result.stderr.trim()).toBe(
      `ledger backup: the disk holding ${to} ran out of space while backing up (ENOSPC); nothing was written`,
    );
    expect(fs.readdirSync(disk.path)).toEqual([]);
  }, 90_000);

  it('ledger restore onto a disk that fills up exits 4 saying so in one sentence, and removes what it restored', async () => {
    fixture = await backupFixture({ events: 300 });
    const backup = await fixture.take();
    disk = mountSmallDisk('1m');
    disk.fill();
    const target = `${disk.path}/restored`;
    const result = ledger('restore', '--from', backup.directory, '--data-dir', target);
    expect(result.status, result.stdout + result.stderr).toBe(4);
    expect(result.stderr.trim()).toBe(
      `ledger restore: the disk holding ${target} ran out of space while restoring (ENOSPC); ${target} was removed again, ` +
        'so no service starts on half a restore: free some space there and run it again',
    );
    expect(fs.readdirSync(disk.path)).toEqual(['filler']);
  }, 90_000);
});
