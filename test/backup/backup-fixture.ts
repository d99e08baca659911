import fs from 'node:fs';
import path from 'node:path';
import type { Backend } from '../../src/backend/backend.ts';
import { openBackend } from '../../src/backend/open-backend.ts';
import { backupPartsFor } from '../../src/backup/backup-parts.ts';
import { restoreBackup, type RestoreOptions } from '../../src/backup/restore-backup.ts';
import { takeBackup } from '../../src/backup/take-backup.ts';
import { KEPT_CHECKPOINT_FILE } from '../../src/integrity/kept-checkpoint.ts';
import { createLedgerIntegrity } from '../../src/integrity/ledger-integrity.ts';
import { loadSigningKey } from '../../src/integrity/signing-key.ts';
import { makeEvents, uniqueId } from '../support/events.ts';
import { makeTempDir } from '../support/temp-dir.ts';

/**
 * A real embedded ledger in a temp data dir (events in a few plans, a signed checkpoint, a key
 * and an access record), with takeBackup and restoreBackup wired as `ledger backup` and
 * `ledger restore` wire them. Everything is removed by cleanup().
 */
export const backupFixture = async (options: { events?: number } = {}) => {
  const dirs: ReturnType<typeof makeTempDir>[] = [];
  const temp = (prefix: string) => {
    const dir = makeTempDir(prefix);
    dirs.push(dir);
    return dir;
  };
  const data = temp('ledger-backup-source-');
  const backend = await openBackend({ store: { kind: 'sqlite' }, dataDir: data.path });
  const { key } = loadSigningKey({ dataDir: data.path });
  /** Appends `count` events round the three plans, up to 50 to a command, so a large ledger takes few fsyncs. */
  const append = async (count: number) => {
    for (let done = 0, i = 0; done < count; i++) {
      const n = Math.min(count - done, Math.max(1, Math.floor(count / 60)), 50);
      const commandId = uniqueId('cmd');
      await backend.events.append({ stream: `plan-p${i % 3}`, events: makeEvents(n, commandId), expectedRevision: 'any', commandId });
      done += n;
    }
  };
  await append(options.events ?? 12);
  const integrity = createLedgerIntegrity({
    integrity: backend.integrity,
    events: backend.events,
    key,
    keptCheckpointFile: data.file(KEPT_CHECKPOINT_FILE),
  });
  const checkpoint = (await integrity.checkpointNow()).checkpoint!;
  await integrity.close();
  await backend.keys.create({ name: 'Jo', role: 'viewer', organisation: 'Dorset CCG', createdBy: 'test' });
  await backend.learnedAliases.learn([{ name: 'Dorset CCG', aliases: ['NHS Dorset Clinical Commissioning Group'] }]);
  await backend.accessLog.record({
    at: new Date().toISOString(),
    principalId: 'api-key:0123456789abcdef',
    principalName: 'Robin Auditor',
    role: 'auditor',
    organisation: 'Dorset CCG',
    method: 'GET',
    route: '/plans/:planId/events',
    path: '/plans/p0/events',
    planId: 'p0',
    status: 200,
    requestId: 'req-1',
    ip: '127.0.0.1',
  });

  const backups = temp('ledger-backups-');
  return {
    backend,
    dataDir: data.path,
    key,
    checkpoint,
    append,
    backupsDir: backups.path,
    temp,
    take: (passphrase?: string, to = backups.path) =>
      takeBackup({
        source: backend.backup!,
        parts: backupPartsFor(backend.backup!.parts(), data.path),
        backendKind: backend.kind,
        dataDir: data.path,
        to,
        key,
        keyKeptAt: data.file('ledger-signing-key.pem'),
        passphrase,
      }),
    restore: (from: string, into: string, extra: Partial<RestoreOptions> = {}) =>
      restoreBackup({
        from,
        dataDir: into,
        openRestored: (dataDir) => openBackend({ store: { kind: 'sqlite' }, dataDir }, { create: false }),
        ...extra,
      }),
    /** What a target directory holds now: [] when absent or empty. */
    contentsOf: (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []),
    entriesIn: (dir: string) => fs.readdirSync(dir).filter((name) => !name.startsWith('.') || name.endsWith('.partial')),
    pathIn: (...parts: string[]) => path.join(...parts),
    cleanup: async (...more: Backend[]) => {
      for (const b of more) await b.close();
      await backend.close();
      for (const dir of dirs) dir.remove();
    },
  };
};
