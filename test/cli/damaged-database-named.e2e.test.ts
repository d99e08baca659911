import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSigningKey } from '../../src/integrity/signing-key.ts';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { seedPlans } from '../integrity/ledger-fixture.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const run = promisify(execFile);
const LEDGER = path.resolve('bin/ledger.js');

/** Runs the real `ledger` command; resolves with its exit code and output whatever the code. */
const ledger = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await run(process.execPath, [LEDGER, ...args], {
      env: { ...process.env, LOG_LEVEL: 'silent' },
      timeout: 20_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

/**
 * A data directory holds several SQLite files (the ledger, keys, access log, views, operations). When one is damaged
 * past opening, SQLite's words ("file is not a database") name none of them, so the operator cannot tell which to
 * restore, or that the damaged one is only the views, which rebuild themselves.
 */
describe('a SQLite file of the data directory damaged past opening', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(async () => {
    dir = makeTempDir('damaged-database-');
    loadSigningKey({ dataDir: dir.path });
    const store = openSqliteEventStore({ file: dir.file('ledger.db') });
    await seedPlans(store, 40);
    await store.close();
  });
  afterEach(() => dir.remove());

  it('ledger verify reports a ledger file cut short as storage-damaged, naming the file, and exits 1', async () => {
    const file = dir.file('ledger.db');
    fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));
    const verified = await ledger('verify', '-d', dir.path);
    expect(verified.code, verified.stderr).toBe(1);
    expect(verified.stdout).toMatch(/^FAILED \(storage-damaged\): .*ledger\.db is damaged: SQLite cannot read it/m);
    expect(verified.stdout).toContain(file);
  });

  it('ledger verify reports a ledger file written over as storage-damaged, naming the file', async () => {
    fs.writeFileSync(dir.file('ledger.db'), 'not a database\n'.repeat(400));
    const verified = await ledger('verify', '-d', dir.path);
    expect(verified.code, verified.stderr).toBe(1);
    expect(verified.stdout).toMatch(/^FAILED \(storage-damaged\): /m);
    expect(verified.stdout).toContain(dir.file('ledger.db'));
  });

  it('ledger backup of a damaged ledger file names it, exits 1 and leaves no backup', async () => {
    const file = dir.file('ledger.db');
    fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));
    const backups = dir.file('backups');
    const backedUp = await ledger('backup', '-d', dir.path, '--to', backups);
    expect(backedUp.code).toBe(1);
    expect(backedUp.stderr).toContain(`${file} is damaged`);
    expect(fs.existsSync(backups) ? fs.readdirSync(backups) : []).toEqual([]);
  });

  it('ledger serve refuses to start on a damaged read-models.db, naming it and saying the views rebuild', async () => {
    fs.writeFileSync(dir.file('read-models.db'), 'not a database\n'.repeat(400));
    const served = await ledger('serve', '--data-dir', dir.path, '--port', '0', '--no-demo');
    expect(served.code).toBe(1);
    expect(served.stderr).toContain(`${dir.file('read-models.db')} is damaged`);
    expect(served.stderr).toContain('rebuilt from the ledger');
  });

  it('a command on a damaged key store names access.db', async () => {
    fs.writeFileSync(dir.file('access.db'), 'not a database\n'.repeat(400));
    const listed = await ledger('keys', 'list', '-d', dir.path);
    expect(listed.code).toBe(1);
    expect(listed.stderr).toContain(`${dir.file('access.db')} is damaged`);
  });
});
