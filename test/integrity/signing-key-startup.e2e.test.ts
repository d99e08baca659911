import { execFile } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLedgerProcess } from '../support/ledger-process.ts';
import { makeTempDir } from '../support/temp-dir.ts';

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

const until = async (what: string, holds: () => boolean, ms = 60_000) => {
  const deadline = Date.now() + ms;
  while (!holds()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/** The key that signed the checkpoint this data dir keeps a copy of. */
const keptKeyId = (dir: string): string | undefined => {
  try {
    return (JSON.parse(fs.readFileSync(`${dir}/ledger-checkpoint.json`, 'utf8')) as { keyId: string }).keyId;
  } catch {
    return undefined;
  }
};

/** A real service whose signing key file goes missing between two starts, as in a botched migration to a new server. */
describe('the signing key at start-up (real processes)', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    dir = makeTempDir('ledger-key-');
  });
  afterEach(() => dir.remove());

  /** Starts the service, waits until a checkpoint signed by its key is kept, then stops it. */
  const serveUntilSigned = async (args: string[] = []) => {
    const before = keptKeyId(dir.path);
    const { child, url, output } = await startLedgerProcess(dir.path, { LEDGER_DEMO_DATA: 'true' }, args);
    try {
      await until(
        'a checkpoint signed at start',
        () => keptKeyId(dir.path) !== undefined && (args.length === 0 || keptKeyId(dir.path) !== before),
      );
      return {
        history: (await (await fetch(`${url}/ledger/signing-keys`)).json()) as {
          current: { keyId: string };
          rotations: Array<{ oldKeyLost: boolean; reason: string }>;
        },
        output: output(),
      };
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  };

  it('refuses to start without the key its checkpoints were signed with, and records a new key only when asked, visibly', async () => {
    const first = await serveUntilSigned();
    expect(first.history.rotations).toEqual([]);
    fs.renameSync(dir.file('ledger-signing-key.pem'), dir.file('elsewhere.pem'));

    const refused = await ledger('serve', '--port', '0', '-d', dir.path);
    expect(refused.code).toBe(1);
    const lines = refused.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`signed by key ${first.history.current.keyId}`);
    expect(lines[0]).toContain('--new-signing-key');
    expect(fs.existsSync(dir.file('ledger-signing-key.pem'))).toBe(false);

    const replaced = await serveUntilSigned(['--new-signing-key', 'the key file was lost in the move']);
    expect(replaced.history.current.keyId).not.toBe(first.history.current.keyId);
    expect(replaced.history.rotations).toEqual([
      expect.objectContaining({ oldKeyLost: true, reason: 'the key file was lost in the move' }),
    ]);
    expect(replaced.output).toMatch(/"level":50[^\n]*was lost and replaced by/);

    const verified = await ledger('verify', '-d', dir.path);
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout).toMatch(/NOT endorsed by the key before it, which was recorded as lost/);

    // A reason the ledger would record with a control character in it is refused before any key is made.
    const keysBefore = fs.readdirSync(dir.path).sort();
    const bell = await ledger('rotate-signing-key', '-d', dir.path, '--reason', 'yearly\u0007rotation');
    expect(bell.code).not.toBe(0);
    expect(bell.stderr).toMatch(/--reason.*holds the control character U\+0007/);
    expect(fs.readdirSync(dir.path).sort()).toEqual(keysBefore);

    const rotated = await ledger('rotate-signing-key', '-d', dir.path, '--reason', 'yearly rotation');
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.stdout).toMatch(/endorsed by/);
    const after = await ledger('verify', '-d', dir.path);
    expect(after.code, after.stdout).toBe(0);
    expect(after.stdout).toMatch(/endorsed by the key before it \([^)]*: yearly rotation\)/);
  }, 240_000);
});
