import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEPT_CHECKPOINT_FILE } from '../../src/integrity/kept-checkpoint.ts';
import { loadSigningKey } from '../../src/integrity/signing-key.ts';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { openLedgerIntegrity } from '../support/sqlite-integrity.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { seedPlans } from './ledger-fixture.ts';

const run = promisify(execFile);
const LEDGER = path.resolve('bin/ledger.js');

/** Runs the real `ledger serve`; resolves with its exit code and output once it exits (or is stopped after the timeout). */
const serve = async (dataDir: string) => {
  try {
    const { stdout, stderr } = await run(process.execPath, [LEDGER, 'serve', '--data-dir', dataDir, '--port', '0'], {
      env: { ...process.env, LOG_LEVEL: 'silent' },
      timeout: 25_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number | null; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

const eventsIn = (file: string): number => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

/**
 * A data directory whose ledger file was lost (deleted, emptied, replaced by a new one) still holds the checkpoint the
 * service kept beside it, signed over the events it had. Started there, the service took the empty ledger for a first
 * start: it imported the demo plans into it and served writes that no checkpoint could ever sign.
 */
describe('ledger serve on a data directory whose ledger was lost beside its kept checkpoint', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let ledgerFile: string;
  beforeEach(async () => {
    dir = makeTempDir('lost-ledger-');
    ledgerFile = dir.file('ledger.db');
    const { key } = loadSigningKey({ dataDir: dir.path });
    const store = openSqliteEventStore({ file: ledgerFile });
    await seedPlans(store, 4);
    const integrity = openLedgerIntegrity({ file: ledgerFile, key, events: store });
    await integrity.checkpointNow();
    await integrity.close();
    await store.close();
    expect(fs.existsSync(dir.file(KEPT_CHECKPOINT_FILE))).toBe(true);
  });
  afterEach(() => dir.remove());

  it('refuses to start on a deleted ledger file, naming the kept checkpoint, and writes no event (no demo data)', async () => {
    for (const name of ['ledger.db', 'ledger.db-wal', 'ledger.db-shm']) fs.rmSync(dir.file(name), { force: true });
    const started = await serve(dir.path);
    expect(started.code).toBe(1);
    expect(started.stderr).toContain(dir.file(KEPT_CHECKPOINT_FILE));
    expect(started.stderr).toMatch(/signed over 12 events/);
    expect(started.stdout).not.toContain('admin key');
    expect(fs.existsSync(ledgerFile) ? eventsIn(ledgerFile) : 0).toBe(0);
  });

  it('refuses to start on a ledger file emptied to nothing, and writes no event', async () => {
    for (const name of ['ledger.db-wal', 'ledger.db-shm']) fs.rmSync(dir.file(name), { force: true });
    fs.truncateSync(ledgerFile, 0);
    const started = await serve(dir.path);
    expect(started.code).toBe(1);
    expect(started.stderr).toMatch(/holds no events, but the checkpoint kept beside it/);
    expect(eventsIn(ledgerFile)).toBe(0);
  });
});
