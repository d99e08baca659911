import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend/backend.ts';
import { KEPT_CHECKPOINT_FILE } from '../../src/integrity/kept-checkpoint.ts';
import { createLedgerIntegrity } from '../../src/integrity/ledger-integrity.ts';
import { loadSigningKey, type LedgerSigningKey } from '../../src/integrity/signing-key.ts';
import { openAsAttacker } from '../integrity/ledger-fixture.ts';
import { makeEvent } from '../support/events.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { openLedger, seedCommands, signCheckpoint, snapshot } from './copy-fixture.ts';

const LEDGER = path.resolve('bin/ledger.js');

/** Runs the real `ledger` command; resolves with its exit code and output whatever the code. */
const ledger = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [LEDGER, ...args], { env: { ...process.env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

/** Events a ledger file holds, read as an outsider would, while another process may be writing it. */
const eventsIn = (dataDir: string): number => {
  const file = path.join(dataDir, 'ledger.db');
  if (!fs.existsSync(file)) return 0;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  } catch {
    return 0; // not migrated yet
  } finally {
    db.close();
  }
};

describe('ledger copy (real processes)', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let sourceDir: string;
  let targetDir: string;
  let key: LedgerSigningKey;
  beforeEach(() => {
    dir = makeTempDir('ledger-copy-cli-');
    sourceDir = dir.file('source');
    targetDir = dir.file('target');
    key = loadSigningKey({ dataDir: sourceDir }).key;
  });
  afterEach(() => dir.remove());

  /** Opens a ledger, runs `work` on it, closes it. */
  const withLedger = async <T>(dataDir: string, work: (backend: Backend) => Promise<T>): Promise<T> => {
    const backend = await openLedger(dataDir);
    try {
      return await work(backend);
    } finally {
      await backend.close();
    }
  };

  /** Starts `ledger copy` and sends `signal` once the target holds `after` events; resolves when it has exited. */
  const interruptCopy = async (signal: NodeJS.Signals, after: number) => {
    const child = spawn(process.execPath, [LEDGER, 'copy', '--from', sourceDir, '--to', targetDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    while (child.exitCode === null && eventsIn(targetDir) < after) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill(signal);
    const { code, signal: endedBy } = await exited;
    return { code, signal: endedBy, stdout, held: eventsIn(targetDir) };
  };

  it('stops on Ctrl-C and says where, resumes after SIGKILL part-way, and ends with a verified copy equal to the source', async () => {
    const commands = 6000;
    await withLedger(sourceDir, async (source) => {
      // Single-event commands, so the copy takes one append per event and can be caught part-way.
      for (let first = 0; first < commands; first += 200)
        await Promise.all(
          Array.from({ length: 200 }, (_, i) => {
            const commandId = `import-${first + i}`;
            return source.events.append({
              stream: `plan-${(first + i) % 40}`,
              events: [makeEvent({ commandId, correlationId: commandId })],
              expectedRevision: 'any',
              commandId,
              requestFingerprint: `fingerprint-${commandId}`,
            });
          }),
        );
      await signCheckpoint(source, sourceDir, key);
    });

    // Ctrl-C: the copy stops after the command in flight and says where; then SIGKILL, with no say at all.
    const stoppedAt = await interruptCopy('SIGINT', 500);
    expect(stoppedAt.signal).toBeNull();
    expect(stoppedAt.code).toBe(130);
    expect(stoppedAt.stdout).toContain(`STOPPED at position ${stoppedAt.held} of ${commands}`);
    const killed = await interruptCopy('SIGKILL', stoppedAt.held + 500);
    expect(killed.signal).toBe('SIGKILL');
    const held = killed.held;
    expect(held).toBeGreaterThan(stoppedAt.held);
    expect(held).toBeLessThan(commands);

    const resumed = await ledger('copy', '--from', sourceDir, '--to', targetDir);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`resumed at position ${held}: the target held the source's first ${held} events`);
    expect(resumed.stdout).toContain(`copied ${commands - held} events in ${commands - held} commands, carried 1 signed checkpoint`);
    expect(resumed.stdout).toMatch(/events:\s+6000 in both/);
    expect(resumed.stdout).toContain('OK: the target is a verified copy of the source');
    expect(await withLedger(targetDir, snapshot)).toEqual(await withLedger(sourceDir, snapshot));

    // The target is a ledger of its own now: verify passes it with the ledger's key.
    const report = await withLedger(targetDir, async (target) => {
      const integrity = createLedgerIntegrity({ ...target, key, keptCheckpointFile: path.join(targetDir, KEPT_CHECKPOINT_FILE) });
      try {
        return await integrity.verify();
      } finally {
        await integrity.close();
      }
    });
    expect(report).toMatchObject({ ok: true, eventsChecked: commands, checkpointsChecked: 1 });
  }, 120_000);

  it('refuses a tampered source (exit 1), names the event, and leaves no target directory behind', async () => {
    await withLedger(sourceDir, async (source) => {
      await seedCommands(source, ['plan-a', 'plan-b'], 5);
      await signCheckpoint(source, sourceDir, key);
    });
    const db = openAsAttacker(path.join(sourceDir, 'ledger.db'));
    db.exec("UPDATE events SET body = replace(body, 'Section', 'Sectiom') WHERE position = 7");
    db.close();

    const refused = await ledger('copy', '--from', sourceDir, '--to', targetDir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/REFUSED \(source-fails-verification\): the source does not verify, so none of it is copied/);
    expect(refused.stderr).toMatch(/position 7/);
    expect(refused.stderr).toContain(`to   ${targetDir}, left as it was before the copy: nothing of it was kept there`);
    // Not an empty ledger.db an operator would take for a ledger: the directory the copy made is gone.
    expect(fs.existsSync(targetDir)).toBe(false);
  }, 60_000);

  it('refused for a public key that is not the source key, leaves an empty target directory as empty as it found it', async () => {
    await withLedger(sourceDir, async (source) => {
      await seedCommands(source, ['plan-a'], 3);
      await signCheckpoint(source, sourceDir, key);
    });
    const other = loadSigningKey({ dataDir: dir.file('other') }).key;
    fs.writeFileSync(dir.file('other.pem'), other.publicKeyPem);
    fs.mkdirSync(targetDir);
    fs.writeFileSync(path.join(targetDir, 'README.txt'), 'the copy of the ledger goes here\n');

    const refused = await ledger('copy', '--no-progress', '--from', sourceDir, '--to', targetDir, '--public-key', dir.file('other.pem'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('REFUSED (source-fails-verification)');
    expect(fs.readdirSync(targetDir)).toEqual(['README.txt']);
  }, 60_000);
});
