import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSigningKey } from '../../src/integrity/signing-key.ts';
import { mountSmallDisk, smallDiskSupport } from '../support/small-disk.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { openLedger, seedCommands, signCheckpoint } from './copy-fixture.ts';

const support = smallDiskSupport();
if (!support.available) console.log(`skipped: the full-disk copy test needs a small tmpfs: ${support.reason}`);

/** `ledger copy` into a directory on a real 1 MiB disk that another program has filled. */
describe.skipIf(!support.available)('ledger copy onto a full disk (real process, a real small tmpfs)', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let disk: ReturnType<typeof mountSmallDisk>;
  beforeEach(async () => {
    dir = makeTempDir('ledger-copy-full-');
    const source = await openLedger(dir.file('source'));
    await seedCommands(source, ['plan-a', 'plan-b'], 3);
    await signCheckpoint(source, dir.file('source'), loadSigningKey({ dataDir: dir.file('source') }).key);
    await source.close();
    disk = mountSmallDisk('1m');
  });
  afterEach(() => {
    disk.remove();
    dir.remove();
  });

  it('exits 4 saying in one sentence that the disk ran out of space while copying, and leaves nothing on it', () => {
    disk.fill();
    const target = `${disk.path}/copy`;
    const result = spawnSync(process.execPath, ['bin/ledger.js', 'copy', '--no-progress', '--from', dir.file('source'), '--to', target], {
      encoding: 'utf8',
    });
    expect(result.status, result.stdout + result.stderr).toBe(4);
    expect(result.stderr.trim()).toMatch(
      new RegExp(
        `^ledger copy: the disk holding ${target} ran out of space while copying \\((SQLITE_FULL|ENOSPC)\\); ` +
          'the target was left as it was before the copy: free some space there and run it again$',
      ),
    );
    expect(fs.readdirSync(disk.path)).toEqual(['filler']);
  }, 60_000);
});
