import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSigningKey } from '../../src/integrity/signing-key.ts';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { makeEvents } from '../support/events.ts';
import { makeTempDir } from '../support/temp-dir.ts';

/**
 * A process that honours file permissions: this one without the capabilities that let root pass
 * them (setpriv), so a directory or file made unreadable here is unreadable to it, as to a user
 * other than the server's. Where that cannot be had (no setpriv, or not root), the test is skipped.
 */
const DROP = ['--bounding-set', '-dac_override,-dac_read_search'];
const canDrop = (() => {
  const probe = makeTempDir('ledger-access-probe-');
  const read = () =>
    execFileSync('setpriv', [...DROP, process.execPath, '-e', `require('fs').readdirSync(${JSON.stringify(probe.path)})`], {
      stdio: 'ignore',
    });
  try {
    read(); // setpriv is there and runs node at all
    fs.chmodSync(probe.path, 0o000);
    read();
    return false; // read anyway: permissions are not honoured for this process
  } catch (error) {
    // Refused only once the folder was locked: the process honours permissions.
    return (error as { status?: number }).status === 1 && (fs.statSync(probe.path).mode & 0o777) === 0;
  } finally {
    fs.chmodSync(probe.path, 0o700);
    probe.remove();
  }
})();
if (!canDrop) console.log('skipped: the data directory access test needs setpriv and root, to run a command that honours file permissions');

const ledger = (args: string[]) =>
  promisify(execFile)('setpriv', [...DROP, process.execPath, 'bin/ledger.js', ...args], {
    env: { ...process.env, LOG_LEVEL: 'silent' },
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe.skipIf(!canDrop)('CLI commands on a data directory they may not use (a real process without root’s overrides)', () => {
  const dirs: ReturnType<typeof makeTempDir>[] = [];
  afterEach(() =>
    dirs.splice(0).forEach((d) => {
      fs.chmodSync(path.join(d.path, 'data'), 0o700);
      d.remove();
    }),
  );

  it('say that the directory or the ledger may not be read, not that there is no ledger there, and read a ledger they may not write', async () => {
    const dir = makeTempDir('ledger-access-');
    dirs.push(dir);
    const data = dir.file('data');
    fs.mkdirSync(data);
    const store = openSqliteEventStore({ file: path.join(data, 'ledger.db') });
    await store.close();
    fs.chmodSync(data, 0o000);
    const locked = await ledger(['view', 'plans', '-d', data]);
    expect(locked.code).toBe(2);
    expect(locked.stderr).toContain(`ledger view: this process may not read the data directory ${data}`);
    expect(locked.stderr).not.toContain('there is no ledger');
    fs.chmodSync(data, 0o755);
    fs.chmodSync(path.join(data, 'ledger.db'), 0o000);
    const unreadable = await ledger(['keys', 'list', '-d', data]);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toContain(`ledger keys list: this process may not read ${path.join(data, 'ledger.db')}`);
    expect(unreadable.stderr).toContain('Nothing was changed.');
    // A ledger file it may read but not write is read: a view of it is answered.
    fs.chmodSync(path.join(data, 'ledger.db'), 0o444);
    const readOnly = await ledger(['view', 'plans', '-d', data]);
    expect(readOnly.code, readOnly.stderr).toBe(0);
    expect(JSON.parse(readOnly.stdout)).toMatchObject({ plans: [] });
  });

  it('say that the ledger may not be written, as a usage error, where a command must write to a ledger it may only read', async () => {
    const dir = makeTempDir('ledger-access-');
    dirs.push(dir);
    const data = dir.file('data');
    fs.mkdirSync(data);
    loadSigningKey({ dataDir: data });
    const store = openSqliteEventStore({ file: path.join(data, 'ledger.db') });
    await store.append({ stream: 'plan-a', events: makeEvents(3, 'cmd-a'), expectedRevision: 'any', commandId: 'cmd-a' });
    await store.close();
    for (const file of fs.readdirSync(data)) fs.chmodSync(path.join(data, file), 0o444);
    fs.chmodSync(data, 0o555);
    // export signs a checkpoint over the ledger first: a write.
    const exported = await ledger(['export', '--plan', 'a', '--out', dir.file('a.json'), '-d', data]);
    expect(exported.code, exported.stdout + exported.stderr).toBe(2);
    expect(exported.stderr).toMatch(
      /^ledger: this process may not write the data directory's databases \(.*\): run it as the user the server runs as/m,
    );
    expect(exported.stderr).toContain('Nothing was changed.');
    // verify writes nothing, so it checks a ledger it may only read (test/cli/verify-read-only.e2e.test.ts).
    const verified = await ledger(['verify', '-d', data]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  });
});
