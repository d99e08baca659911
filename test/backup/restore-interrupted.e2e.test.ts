import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupFixture } from './backup-fixture.ts';

/**
 * A restore stopped part way (Ctrl-C, or SIGTERM from whatever runs it) leaves its target empty,
 * as a restore that fails does: no service may start on files no check has passed.
 */
describe('ledger restore stopped by a signal (real process)', () => {
  // One ledger and one backup of it for both signals: the backup is only read, and each restore has a target of its own.
  // A ledger this large gives a restore a few seconds after its check in which to stop it (writing it takes most of this
  // file's time).
  let fixture: Awaited<ReturnType<typeof backupFixture>>;
  let directory: string;
  beforeAll(async () => {
    fixture = await backupFixture({ events: 60_000 });
    ({ directory } = await fixture.take());
  }, 120_000);
  afterAll(() => fixture?.cleanup());

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)
    it(`on ${signal} after the backup was checked, empties the target again and exits ${code}`, async () => {
      const into = path.join(fixture.temp('ledger-restore-').path, 'data');
      const child = spawn(process.execPath, ['bin/ledger.js', 'restore', '--from', directory, '--data-dir', into, '--without-signing-key']);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
      const exited = once(child, 'exit');
      await expect.poll(() => stdout, { timeout: 60_000 }).toContain('checked the backup');
      expect(child.exitCode, 'the restore ended before it could be stopped').toBeNull();
      child.kill(signal);
      const [exitCode] = await exited;
      expect(exitCode, stdout + stderr).toBe(code);
      expect(stderr).toContain(`stopped by ${signal}; ${into} was emptied again`);
      expect(fs.existsSync(into)).toBe(false);
    }, 120_000);
});
