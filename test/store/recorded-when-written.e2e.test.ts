import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKeyWithCli } from '../support/cli-keys.ts';
import { startLedgerProcess, stopLedgerProcess } from '../support/ledger-process.ts';
import { makeTempDir } from '../support/temp-dir.ts';

type Running = Awaited<ReturnType<typeof startLedgerProcess>>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Another process holding the ledger file's write lock for a while, as a long write of another
 * instance or any SQLite tool writing the file does. Resolves once it holds it.
 */
const holdWriteLock = (file: string, ms: number) =>
  new Promise<{ released: Promise<void> }>((resolve, reject) => {
    const script = `
      const Database = require(${JSON.stringify(path.resolve('node_modules/better-sqlite3'))});
      const db = new Database(${JSON.stringify(file)}); db.pragma('busy_timeout = 10000');
      db.exec('BEGIN IMMEDIATE'); process.stdout.write('locked\\n');
      setTimeout(() => { db.exec('COMMIT'); db.close(); }, ${ms});`;
    const child = spawn(process.execPath, ['-e', script]);
    const released = new Promise<void>((done) => child.once('exit', () => done()));
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve({ released }));
    child.once('error', reject);
  });

/**
 * docs/projections.md, "The ledger clock is a ledger position": an asOf picks the events recorded
 * by then, so a read at an instant already past answers the same whenever it is made. A command
 * is recorded when it is written, not when it was decided: one that waited for the ledger file
 * meanwhile cannot land inside a past instant that was already answered without it.
 */
describe('a command that waits to be written', () => {
  it('is recorded when written, so an asOf already past and answered meanwhile keeps its answer', async () => {
    const dir = makeTempDir('recorded-when-written-');
    const running: Running[] = [];
    try {
      const headers = {
        authorization: `Bearer ${createKeyWithCli(dir.path, 'plan-manager', 'Dorset CCG')}`,
        'content-type': 'application/json',
      };
      // No signed checkpoints: the reader would write them to the ledger file, and wait for the lock too.
      const quiet = { LEDGER_CHECKPOINT_INTERVAL_MS: '0' };
      const reader = await startLedgerProcess(dir.path, quiet);
      const writer = await startLedgerProcess(dir.path, quiet);
      running.push(reader, writer);
      const register = await fetch(`${writer.url}/plans`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ planId: 'p1', title: 'Plan 1', kind: 'other', owner: 'Dorset CCG', effectiveOn: '2015-06' }),
      });
      expect(register.status).toBe(201);
      // The reader's asOf path warmed, so the read below is answered at once.
      expect((await fetch(`${reader.url}/plans?asOf=${new Date().toISOString()}`, { headers })).status).toBe(200);

      const lock = await holdWriteLock(path.join(dir.path, 'ledger.db'), 3000);
      const sentAt = Date.now();
      // Decided now; written once the lock is let go.
      const write = fetch(`${writer.url}/plans/p1/sections`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ sectionRef: '1', title: 'Added while the file was locked', effectiveOn: '2015-06' }),
      });
      let answered = false;
      void write.then(() => (answered = true));
      await sleep(1000);
      // An instant after the command was decided, already past when read.
      const asOf = new Date(sentAt + 600).toISOString();
      const positionAt = async () => {
        const res = await fetch(`${reader.url}/plans?asOf=${asOf}`, { headers });
        expect(res.status).toBe(200);
        return ((await res.json()) as { position: string }).position;
      };
      const before = await positionAt();
      // Still waiting for the lock when the reader answered.
      expect(answered).toBe(false);
      const written = (await (await write).json()) as { position: string };
      await lock.released;
      const timeline = (await (await fetch(`${reader.url}/plans/p1/timeline`, { headers })).json()) as {
        entries: { position: string; recordedAt: string }[];
      };
      const recordedAt = timeline.entries.find((e) => e.position === written.position)!.recordedAt;
      expect(recordedAt > asOf).toBe(true);
      expect(await positionAt()).toBe(before);
    } finally {
      await Promise.all(running.map(stopLedgerProcess));
      dir.remove();
    }
  }, 60_000);
});
