import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigningKey } from '../../src/integrity/signing-key.ts';
import { openSqliteEventStore, type SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { seedPlans } from '../integrity/ledger-fixture.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const run = promisify(execFile);

/**
 * Root passes every permission check, so where the tests run as root a read-only copy is still written by a plain process.
 * setpriv without the capabilities that let root pass them runs one that honours permissions, as an auditor's account does;
 * where it cannot be had, the command runs as this process runs. Either way, read-only-ness is checked by what it does: every
 * file in the directory, its size, time and hash, and the list of files, as they were.
 */
const DROP = ['--bounding-set', '-dac_override,-dac_read_search'];
const isRoot = process.getuid?.() === 0;
const canDrop = (() => {
  if (!isRoot) return false;
  try {
    execFileSync('setpriv', [...DROP, process.execPath, '-e', ''], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const ledger = async (args: string[], options: { honouringPermissions?: boolean } = {}) => {
  const [command, ...rest] = options.honouringPermissions && canDrop ? ['setpriv', ...DROP, process.execPath] : [process.execPath];
  try {
    const { stdout, stderr } = await run(command!, [...rest, 'bin/ledger.js', ...args], { env: { ...process.env, LOG_LEVEL: 'silent' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

/** Every file under `dir`: its name, size, modification time and SHA-256. */
const stateOf = (dir: string): string[] =>
  fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dir, name))
    .filter((file) => fs.statSync(file).isFile())
    .map((file) => {
      const s = fs.statSync(file);
      return `${path.relative(dir, file)} ${s.size} ${s.mtimeMs} ${createHash('sha256').update(fs.readFileSync(file)).digest('hex')}`;
    })
    .sort();

/** chmod -R a-w, as an auditor's copy is kept; undone for removal. */
const makeReadOnly = (dir: string, writable = false) => {
  for (const name of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const file = path.join(dir, name);
    fs.chmodSync(file, (fs.statSync(file).mode & 0o7777 & ~0o222) | (writable ? 0o200 : 0));
  }
  fs.chmodSync(dir, (fs.statSync(dir).mode & 0o7777 & ~0o222) | (writable ? 0o200 : 0));
};

describe('ledger verify changes nothing in the data directory it checks (real processes)', () => {
  const work = makeTempDir('ledger-verify-read-only-');
  const live = work.file('live');
  const publicKey = work.file('public.pem');
  let store: SqliteEventStore;
  const copies: string[] = [];

  /**
   * A copy of the live data directory as it is now: with the -wal and -shm of a ledger still open, or, every commit moved into
   * the file first (as the last connection to close does), without them.
   */
  const copyOf = (name: string, options: { withoutWal?: boolean } = {}) => {
    if (options.withoutWal) {
      const db = new Database(path.join(live, 'ledger.db'));
      expect(db.pragma('wal_checkpoint(TRUNCATE)')).toEqual([{ busy: 0, log: 0, checkpointed: 0 }]);
      db.close();
    }
    const copy = work.file(name);
    fs.cpSync(live, copy, { recursive: true });
    fs.rmSync(path.join(copy, 'ledger-signing-key.pem'));
    if (options.withoutWal) for (const side of ['-wal', '-shm']) fs.rmSync(path.join(copy, `ledger.db${side}`), { force: true });
    makeReadOnly(copy);
    copies.push(copy);
    return copy;
  };

  beforeAll(async () => {
    fs.chmodSync(work.path, 0o755);
    fs.mkdirSync(live);
    fs.writeFileSync(publicKey, loadSigningKey({ dataDir: live }).key.publicKeyPem);
    store = openSqliteEventStore({ file: path.join(live, 'ledger.db') });
    await seedPlans(store, 6);
    // A signed checkpoint, and its copy beside the ledger.
    const exported = await ledger(['export', '--plan', 'kent', '--out', work.file('kent.json'), '-d', live]);
    expect(exported.code, exported.stderr).toBe(0);
    await seedPlans(store, 2, 'later');
  }, 60_000);
  afterAll(async () => {
    await store.close();
    for (const copy of copies) makeReadOnly(copy, true);
    work.remove();
  });

  for (const [what, withoutWal] of [
    ['a -wal and -shm beside the ledger, as a running service leaves them', false],
    ['no -wal beside the ledger, as a service stopped cleanly or a backup leaves it', true],
  ] as const)
    it(`verifies a copy kept read-only with ${what}, and changes nothing in it`, async () => {
      const copy = copyOf(`copy-${withoutWal ? 'without' : 'with'}-wal`, { withoutWal });
      expect(fs.existsSync(path.join(copy, 'ledger.db-wal'))).toBe(!withoutWal);
      const before = stateOf(copy);
      const checkpoint = path.join(copy, 'ledger-checkpoint.json');
      for (const honouringPermissions of [true, false]) {
        const result = await ledger(['verify', '-d', copy, '--public-key', publicKey, '--checkpoint', checkpoint], {
          honouringPermissions,
        });
        expect(result.code, result.stdout + result.stderr).toBe(0);
        // Every event, those still only in the -wal included.
        expect(result.stdout).toMatch(/events checked:\s+24/);
        expect(result.stdout).toMatch(/^OK: /m);
        expect(stateOf(copy)).toEqual(before);
      }
    }, 60_000);

  it('verifies a writable data directory beside a process that has the ledger open, creating nothing', async () => {
    const before = fs.readdirSync(live).sort();
    const result = await ledger(['verify', '-d', live, '--public-key', publicKey]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/events checked:\s+24/);
    expect(fs.readdirSync(live).sort()).toEqual(before);
  }, 60_000);

  it('stops with exit 2 on a ledger the next writer would bring up to date (its derived index dropped), and puts nothing back', async () => {
    const copy = copyOf('copy-without-index', { withoutWal: true });
    makeReadOnly(copy, true);
    const db = new Database(path.join(copy, 'ledger.db'));
    db.exec('DROP INDEX events_by_ledger_time');
    db.close();
    makeReadOnly(copy);
    const before = stateOf(copy);
    const result = await ledger(['verify', '-d', copy, '--public-key', publicKey]);
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toContain('lacks events_by_ledger_time');
    expect(result.stderr).toContain('Nothing was checked.');
    expect(stateOf(copy)).toEqual(before);
  }, 60_000);

  it('reports a 0-byte ledger as damaged, or as cut off where a checkpoint says it held events, and creates nothing', async () => {
    const empty = work.file('empty');
    fs.mkdirSync(empty);
    fs.writeFileSync(path.join(empty, 'ledger.db'), '');
    const alone = await ledger(['verify', '-d', empty, '--public-key', publicKey]);
    expect(alone.code, alone.stdout + alone.stderr).toBe(1);
    expect(alone.stdout).toMatch(/FAILED \(storage-damaged\): .*ledger\.db is empty \(0 bytes\)/);
    expect(alone.stdout).toMatch(/^ {2}found\s+0 bytes$/m);
    expect(fs.readdirSync(empty)).toEqual(['ledger.db']);
    expect(fs.statSync(path.join(empty, 'ledger.db')).size).toBe(0);

    fs.copyFileSync(path.join(live, 'ledger-checkpoint.json'), path.join(empty, 'ledger-checkpoint.json'));
    const beside = await ledger(['verify', '-d', empty, '--public-key', publicKey]);
    expect(beside.code, beside.stdout + beside.stderr).toBe(1);
    expect(beside.stdout).toMatch(/FAILED \(kept-checkpoint-beyond-ledger\): .*is empty \(0 bytes\).*was signed over 18 events/);
    expect(fs.readdirSync(empty).sort()).toEqual(['ledger-checkpoint.json', 'ledger.db']);
    expect(fs.statSync(path.join(empty, 'ledger.db')).size).toBe(0);
  }, 60_000);
});
