import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { completeBackups } from '../../src/backup/backup-names.ts';
import { openSqliteOperations } from '../../src/operations/sqlite/operations-db.ts';
import { startLedgerProcess } from '../support/ledger-process.ts';
import { makeTempDir } from '../support/temp-dir.ts';

/** Two real `ledger serve` processes on one data dir, both with the same backup schedule. */
describe('scheduled backups (two real instances on one ledger)', () => {
  const data = makeTempDir('ledger-scheduled-');
  const backups = makeTempDir('ledger-scheduled-backups-');
  const servers: Awaited<ReturnType<typeof startLedgerProcess>>[] = [];
  afterAll(async () => {
    for (const server of servers) {
      server.child.kill('SIGTERM');
      await once(server.child, 'exit');
    }
    data.remove();
    backups.remove();
  });

  it('one of them takes the backup due when they start, verified, and the other does not', async () => {
    // Slots of the longest interval the setting takes (366 days), so that the two starts fall in one slot: with hourly
    // slots, starts either side of an hour's turn each took that hour's backup, as they should.
    const env = { LEDGER_BACKUP_DIR: backups.path, LEDGER_BACKUP_INTERVAL_MS: String(366 * 24 * 60 * 60 * 1000), LEDGER_BACKUP_KEEP: '3' };
    // The first start makes the ledger (and its signing key); the second joins it.
    servers.push(await startLedgerProcess(data.path, { ...env, LEDGER_DEMO_DATA: 'true' }));
    servers.push(await startLedgerProcess(data.path, env));
    const operations = openSqliteOperations(data.path);
    try {
      let last;
      for (let waited = 0; waited < 60_000 && !(last = (await operations.latest('backup')).last); waited += 250)
        await new Promise((resolve) => setTimeout(resolve, 250));
      expect(last, servers.map((s) => s.output()).join('\n')).toMatchObject({
        ok: true,
        detail: expect.stringMatching(/events, verified$/),
      });
      // Give the other instance time to have tried too.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(completeBackups(backups.path)).toHaveLength(1);
      const logs = servers.map((s) => s.output());
      expect(logs.filter((log) => log.includes('scheduled backup: backup written to'))).toHaveLength(1);
    } finally {
      await operations.close();
    }
  }, 90_000);

  it('a scheduled backup outlives the service that started it: stopped meanwhile, the backup is still written, verified and recorded', async () => {
    const own = makeTempDir('ledger-scheduled-stop-');
    const ownBackups = makeTempDir('ledger-scheduled-stop-backups-');
    try {
      const env = { LEDGER_BACKUP_DIR: ownBackups.path, LEDGER_BACKUP_INTERVAL_MS: String(60 * 60 * 1000), LEDGER_DEMO_DATA: 'true' };
      const server = await startLedgerProcess(own.path, env);
      // The backup due at start: its child found, the service is stopped at once.
      let child: number | undefined;
      for (let waited = 0; waited < 30_000 && child === undefined; waited += 20) {
        try {
          child = Number(execFileSync('pgrep', ['-P', String(server.child.pid), '-f', 'ledger.js backup'], { encoding: 'utf8' }).trim());
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
      expect(child, server.output()).toBeGreaterThan(0);
      server.child.kill('SIGTERM');
      await once(server.child, 'exit');
      const alive = () => {
        try {
          process.kill(child!, 0);
          return true;
        } catch {
          return false;
        }
      };
      for (let waited = 0; waited < 60_000 && alive(); waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(alive()).toBe(false);
      expect(completeBackups(ownBackups.path)).toHaveLength(1);
      const operations = openSqliteOperations(own.path);
      try {
        expect((await operations.latest('backup')).last).toMatchObject({ ok: true, detail: expect.stringMatching(/events, verified$/) });
      } finally {
        await operations.close();
      }
    } finally {
      own.remove();
      ownBackups.remove();
    }
  }, 120_000);
});
