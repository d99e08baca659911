import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildCli } from '../../src/cli/main.ts';
import { ConfigError } from '../../src/config.ts';
import { loadSigningKey, type LedgerSigningKey } from '../../src/integrity/signing-key.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { openLedger, seedCommands, signCheckpoint, snapshot } from './copy-fixture.ts';

/**
 * `ledger copy` as the command line runs it, in this process: what it prints, the exit code it
 * sets, and the usage errors the `ledger` entry point turns into exit 2 (the Ctrl-C, SIGKILL and
 * tampered-source runs in copy-cli.e2e.test.ts are real processes).
 */
const runCopy = async (...args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: unknown) => void out.push(String(line)));
  const error = vi.spyOn(console, 'error').mockImplementation((line: unknown) => void err.push(String(line)));
  try {
    await (await buildCli('copy')).exitOverride().parseAsync(['copy', '--no-progress', ...args], { from: 'user' });
    return { code: process.exitCode ?? 0, stdout: out.join('\n'), stderr: err.join('\n') };
  } catch (thrown) {
    if (!(thrown instanceof ConfigError)) throw thrown;
    return { code: 2, stdout: out.join('\n'), stderr: thrown.message };
  } finally {
    process.exitCode = undefined;
    log.mockRestore();
    error.mockRestore();
  }
};

describe('ledger copy on the command line', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let sourceDir: string;
  let targetDir: string;
  let key: LedgerSigningKey;
  beforeEach(async () => {
    dir = makeTempDir('ledger-copy-command-');
    sourceDir = dir.file('source');
    targetDir = dir.file('target');
    key = loadSigningKey({ dataDir: sourceDir }).key;
    const source = await openLedger(sourceDir);
    await seedCommands(source, ['plan-a', 'plan-b'], 3);
    await signCheckpoint(source, sourceDir, key);
    await source.close();
  });
  afterEach(() => dir.remove());

  const snapshotOf = async (dataDir: string) => {
    const backend = await openLedger(dataDir);
    try {
      return await snapshot(backend);
    } finally {
      await backend.close();
    }
  };

  it('prints each phase, the verification and what to do next, and exits 0', async () => {
    const copied = await runCopy('--from', sourceDir, '--to', targetDir);
    expect(copied.code, copied.stderr).toBe(0);
    expect(copied.stdout).toContain(`ledger copy: from ${sourceDir} to ${targetDir}`);
    expect(copied.stdout).toMatch(/copied \d+ events in 6 commands, carried 1 signed checkpoint \(/);
    expect(copied.stdout).toMatch(/commands:\s+6, the same result in both, request fingerprints included/);
    expect(copied.stdout).toContain('OK: the target is a verified copy of the source');
    expect(copied.stdout).toContain(`signed by key ${key.keyId}: run the target's service with that signing key`);
    expect(copied.stdout).toContain('Not copied (docs/copy.md): API keys and the access log');
    expect(await snapshotOf(targetDir)).toEqual(await snapshotOf(sourceDir));
  });

  it("copies a ledger whose signing key was rotated, verifying each key's checkpoints through the key history", async () => {
    const rotated = spawnSync(process.execPath, ['bin/ledger.js', 'rotate-signing-key', '-d', sourceDir, '--reason', 'yearly rotation'], {
      encoding: 'utf8',
    });
    expect(rotated.status, rotated.stderr).toBe(0);
    const newKey = loadSigningKey({ dataDir: sourceDir }).key;
    expect(newKey.keyId).not.toBe(key.keyId);
    const copied = await runCopy('--from', sourceDir, '--to', targetDir);
    expect(copied.code, copied.stderr).toBe(0);
    expect(copied.stdout).toContain('OK: the target is a verified copy of the source');
    expect(await snapshotOf(targetDir)).toEqual(await snapshotOf(sourceDir));
    // The target verifies as the source does, pinned with the first key, which endorsed the second.
    fs.writeFileSync(dir.file('first-key.pem'), key.publicKeyPem);
    const verified = spawnSync(
      process.execPath,
      ['bin/ledger.js', 'verify', '-d', targetDir, '--quick', '--public-key', dir.file('first-key.pem')],
      { encoding: 'utf8' },
    );
    expect(verified.status, verified.stdout + verified.stderr).toBe(0);
  }, 60_000);

  it('refuses a target holding another ledger (exit 1), says what it holds and what to do, and writes nothing to it', async () => {
    const other = await openLedger(targetDir);
    await seedCommands(other, ['plan-other'], 2);
    await other.close();
    const before = await snapshotOf(targetDir);

    const refused = await runCopy('--from', sourceDir, '--to', targetDir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/REFUSED \(target-not-a-copy\).*it is another ledger/);
    expect(refused.stderr).toContain(`to   ${targetDir}, which now holds ${before.events.length} events`);
    expect(refused.stderr).toContain('Copy into an empty ledger');
    expect(await snapshotOf(targetDir)).toEqual(before);
  });

  it('says plainly what is wrong with the ledgers it is given (exit 2), and creates nothing', async () => {
    const nowhere = await runCopy('--from', dir.file('nothing-here'), '--to', targetDir);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toMatch(/there is no ledger to copy at .*nothing-here/);

    const itself = await runCopy('--from', sourceDir, '--to', `${sourceDir}/`);
    expect(itself.code).toBe(2);
    expect(itself.stderr).toContain(`--from and --to both name ${sourceDir}`);

    const file = await runCopy('--from', path.join(sourceDir, 'ledger.db'), '--to', targetDir);
    expect(file.code).toBe(2);
    expect(file.stderr).toContain(`is a file: name the data directory that holds the ledger (${sourceDir})`);

    const scheme = await runCopy('--from', sourceDir, '--to', 'postgres://db/ledger');
    expect(scheme.code).toBe(2);
    expect(scheme.stderr).toMatch(/--to postgres:\/\/db\/ledger: must be "sqlite" or a KurrentDB connection string/);
    expect(fs.existsSync(targetDir)).toBe(false);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('stopped by %s before its first event, exits %i and leaves no target directory behind', async (signal, exitCode) => {
    // The signal as soon as the copy listens for it, before it has opened anything: it stops before its first append.
    const send = (event: string | symbol) => {
      if (event === signal) queueMicrotask(() => process.emit(signal, signal));
    };
    process.on('newListener', send);
    const stopped = await runCopy('--from', sourceDir, '--to', targetDir).finally(() => process.off('newListener', send));
    expect(stopped.code, stopped.stdout).toBe(exitCode);
    expect(stopped.stdout).toMatch(/STOPPED before the first event of \d+: nothing was copied, and the target was left as it was/);
    expect(fs.existsSync(targetDir)).toBe(false);
  });

  it('keeps the verified copy of a ledger that holds no event', async () => {
    const emptyDir = dir.file('empty');
    loadSigningKey({ dataDir: emptyDir });
    const empty = await openLedger(emptyDir);
    expect(await empty.events.count()).toBe(0); // the store makes its file at its first use
    await empty.close();
    const copied = await runCopy('--from', emptyDir, '--to', targetDir);
    expect(copied.code, copied.stderr).toBe(0);
    expect(copied.stdout).toContain('OK: the target is a verified copy of the source');
    expect(fs.readdirSync(targetDir)).toContain('ledger.db');
  });

  it("asks for the ledger's public key when the source's signing key is kept elsewhere, rather than skip the signatures", async () => {
    fs.renameSync(path.join(sourceDir, 'ledger-signing-key.pem'), dir.file('kept-elsewhere.pem'));
    const keyless = await runCopy('--from', sourceDir, '--to', targetDir);
    expect(keyless.code).toBe(2);
    expect(keyless.stderr).toContain('Pass --public-key <file> (the ledger serves it at GET /ledger/public-key.pem)');
    expect(fs.existsSync(targetDir)).toBe(false);

    fs.writeFileSync(dir.file('public.pem'), key.publicKeyPem);
    const withKey = await runCopy('--from', sourceDir, '--to', targetDir, '--public-key', dir.file('public.pem'));
    expect(withKey.code, withKey.stderr).toBe(0);
    expect(withKey.stdout).toContain('OK: the target is a verified copy of the source');
  });
});
