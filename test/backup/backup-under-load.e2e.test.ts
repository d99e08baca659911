import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openBackend } from '../../src/backend/open-backend.ts';
import { completeBackups } from '../../src/backup/backup-names.ts';
import { createKeyWithCli } from '../support/cli-keys.ts';
import { collect } from '../support/collect.ts';
import { startLedgerProcess } from '../support/ledger-process.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const WRITERS = 16;
const PASSPHRASE = 'a passphrase for the backup test';

/** Runs `ledger <args>` as an operator would and resolves with its exit code and output. */
const ledger = async (args: string[], env: Record<string, string> = {}) => {
  const child = spawn(process.execPath, ['bin/ledger.js', ...args], { env: { ...process.env, ...env } });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output };
};

describe('a backup taken while 16 writers append (real service, real ledger backup and restore)', () => {
  const dirs: ReturnType<typeof makeTempDir>[] = [];
  const children: ReturnType<typeof spawn>[] = [];
  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    }
    for (const dir of dirs.splice(0)) dir.remove();
  });

  it('holds every write acknowledged before it started, verifies, and restores to a service answering the same plan views', async () => {
    const source = makeTempDir('ledger-backup-load-');
    const work = makeTempDir('ledger-backup-work-');
    dirs.push(source, work);
    const manager = createKeyWithCli(source.path, 'plan-manager', 'Dorset CCG');
    const auditor = createKeyWithCli(source.path, 'auditor', 'Independent inquiry');
    // One principal writes for all sixteen writers: lift the per-principal rate limit, which is not what is measured here.
    const original = await startLedgerProcess(source.path, { LEDGER_CHECKPOINT_INTERVAL_MS: '500', LEDGER_RATE_LIMIT_MAX: '1000000' });
    children.push(original.child);
    const headers = (key: string) => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' });
    const post = (url: string, body: unknown) =>
      fetch(`${original.url}${url}`, { method: 'POST', headers: headers(manager), body: JSON.stringify(body) });
    for (let w = 0; w < WRITERS; w++) {
      const plan = { planId: `plan-${w}`, title: `Plan ${w}`, kind: 'other', owner: 'Dorset CCG', effectiveOn: '2015-03' };
      expect((await post('/plans', plan)).status).toBe(201);
    }

    // Sixteen writers, each appending sections to its own plan until told to stop.
    const acknowledged: { eventId: string; at: number }[] = [];
    let stop = false;
    const writers = Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        const response = await post(`/plans/plan-${w}/sections`, { sectionRef: `S${i}`, title: `Section ${i}`, effectiveOn: '2015-03' });
        expect(response.status).toBe(201);
        const { eventIds } = (await response.json()) as { eventIds: string[] };
        acknowledged.push(...eventIds.map((eventId) => ({ eventId, at: performance.now() })));
      }
    });
    try {
      while (acknowledged.length < 200) await new Promise((resolve) => setTimeout(resolve, 50));
      // An auditor keeps a checkpoint before the backup, outside the ledger.
      let kept: Response;
      do kept = await fetch(`${original.url}/ledger/checkpoints/latest`, { headers: headers(auditor) });
      while (kept.status === 404);
      fs.writeFileSync(work.file('kept-checkpoint.json'), await kept.text());
      fs.writeFileSync(work.file('passphrase'), `${PASSPHRASE}\n`);

      const startedAt = performance.now();
      const ackedBefore = acknowledged.filter((a) => a.at < startedAt).map((a) => a.eventId);
      const backup = await ledger([
        'backup',
        '-d',
        source.path,
        '--to',
        work.file('backups'),
        '--passphrase-file',
        work.file('passphrase'),
      ]);
      const finishedAt = performance.now();
      expect(backup.code, backup.output).toBe(0);
      expect(backup.output).toMatch(/backup written to .*; the copy verifies/);
      expect(acknowledged.filter((a) => a.at > startedAt && a.at < finishedAt).length, 'writes went on during the backup').toBeGreaterThan(
        0,
      );
      stop = true;
      await Promise.all(writers);

      const [name] = completeBackups(work.file('backups'));
      const restoredDir = work.file('restored');
      const restore = await ledger(
        [
          'restore',
          '--from',
          path.join(work.file('backups'), name!),
          '--data-dir',
          restoredDir,
          '--passphrase-file',
          work.file('passphrase'),
        ].concat(['--checkpoint', work.file('kept-checkpoint.json')]),
      );
      expect(restore.code, restore.output).toBe(0);
      // The restore verified the ledger against the checkpoint the auditor kept before the backup.
      expect(restore.output).toContain(`compared with checkpoint`);
      expect(restore.output).toContain(`the checkpoint you supplied (${work.file('kept-checkpoint.json')})`);

      // Every write acknowledged before the backup started is in it.
      const restoredBackend = await openBackend({ store: { kind: 'sqlite' }, dataDir: restoredDir }, { create: false });
      const restoredEvents = await collect(restoredBackend.events.readAll()).finally(() => restoredBackend.close());
      const restoredIds = new Set(restoredEvents.map((e) => e.eventId));
      expect(ackedBefore.filter((id) => !restoredIds.has(id))).toEqual([]);
      expect(ackedBefore.length).toBeGreaterThanOrEqual(200);

      // The restored service answers the plan views the original gave at the same ledger position.
      const restored = await startLedgerProcess(restoredDir, { LEDGER_CHECKPOINT_INTERVAL_MS: '0', LEDGER_RATE_LIMIT_MAX: '1000000' });
      children.push(restored.child);
      const head = restoredEvents.length - 1;
      const page = (await (
        await fetch(`${original.url}/ledger/events?after=${Math.max(head - 200, 0) - 1}&limit=400`, { headers: headers(auditor) })
      ).json()) as { events: { position: string; recordedAt: string }[] };
      const at = new Map(page.events.map((e) => [Number(e.position), e.recordedAt]));
      // The last position up to the restored head whose successor in the original was recorded later: asOf resolves to it on both.
      let p = head;
      while (at.get(p + 1) === at.get(p)) p--;
      const asOf = encodeURIComponent(at.get(p)!);
      for (let w = 0; w < WRITERS; w++) {
        const view = async (url: string) => {
          const response = await fetch(`${url}/plans/plan-${w}?asOf=${asOf}`, { headers: headers(manager) });
          expect(response.status).toBe(200);
          return response.json();
        };
        expect(await view(restored.url)).toEqual(await view(original.url));
      }
    } finally {
      stop = true;
      await Promise.allSettled(writers);
    }
  }, 240_000);
});
