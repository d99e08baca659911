import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupFixture } from '../backup/backup-fixture.ts';

const run = promisify(execFile);

/** Runs the real `ledger` command; resolves with its exit code and output whatever the code. */
const ledger = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/ledger.js', ...args], { env: { ...process.env, LOG_LEVEL: 'silent' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

/**
 * A passphrase file that gives no passphrase is the missing passphrase docs/operations.md lists as a usage error (exit 2):
 * named, before anything is copied, never tried as an empty passphrase that then "does not open the key" (exit 1).
 */
describe('ledger restore given a passphrase file with no passphrase (real process)', () => {
  let fixture: Awaited<ReturnType<typeof backupFixture>>;
  let backup: string;
  beforeAll(async () => {
    fixture = await backupFixture();
    backup = (await fixture.take('a passphrase of some length')).directory;
  });
  afterAll(() => fixture.cleanup());

  for (const [what, contents] of [
    ['empty', ''],
    ['blank on its first line', '\na passphrase of some length\n'],
    ['missing', undefined],
  ] as const)
    it(`exits 2 naming a passphrase file that is ${what}, and leaves no target`, async () => {
      const dir = fixture.temp('ledger-restore-passphrase-');
      const file = dir.file('passphrase.txt');
      if (contents !== undefined) fs.writeFileSync(file, contents);
      const into = path.join(dir.path, 'data');
      const result = await ledger('restore', '--from', backup, '--data-dir', into, '--passphrase-file', file);
      expect(result.code, result.stdout + result.stderr).toBe(2);
      expect(result.stderr).toContain(`passphrase file ${file}`);
      expect(result.stderr).toContain('Nothing was written.');
      expect(fs.existsSync(into)).toBe(false);
    }, 60_000);

  it('restores with the passphrase on the first line of the file', async () => {
    const dir = fixture.temp('ledger-restore-passphrase-');
    fs.writeFileSync(dir.file('passphrase.txt'), 'a passphrase of some length\n');
    const into = path.join(dir.path, 'data');
    const result = await ledger('restore', '--from', backup, '--data-dir', into, '--passphrase-file', dir.file('passphrase.txt'));
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(fs.existsSync(path.join(into, 'ledger-signing-key.pem'))).toBe(true);
  }, 120_000);
});

describe('ledger backup given a passphrase too short to take (real process)', () => {
  it('exits 2 naming the file and the length before anything is copied, leaving the backup folder empty', async () => {
    const fixture = await backupFixture();
    try {
      const dir = fixture.temp('ledger-backup-passphrase-');
      fs.writeFileSync(dir.file('passphrase.txt'), 'too short\n');
      const result = await ledger(
        'backup',
        '-d',
        fixture.dataDir,
        '--to',
        fixture.backupsDir,
        '--passphrase-file',
        dir.file('passphrase.txt'),
      );
      expect(result.code, result.stdout + result.stderr).toBe(2);
      expect(result.stderr).toContain(`the first line of ${dir.file('passphrase.txt')}) has 9 characters: it must have at least 12`);
      expect(fixture.entriesIn(fixture.backupsDir)).toEqual([]);
    } finally {
      await fixture.cleanup();
    }
  }, 120_000);
});
