import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Backend } from '../backend/backend.ts';
import { startBackupSchedule } from '../backup/backup-schedule.ts';
import { runBackupProcess } from '../backup/backup-child.ts';

/**
 * Scheduled backups, when LEDGER_BACKUP_DIR is set: each slot's backup is taken by the one
 * instance that claims it in the shared operations store, as a `ledger backup` child process.
 */
export const scheduleBackups = (config: Config, backend: Backend, logger: Logger, instance: string) => {
  const settings = config.backups;
  if (!settings) return undefined;
  if (!backend.backup) {
    logger.warn(
      { backupDir: settings.dir },
      `LEDGER_BACKUP_DIR is set, but the ${backend.kind} ledger is backed up with the engine's own procedure ` +
        `(docs/operations.md): no scheduled backups`,
    );
    return undefined;
  }
  logger.info({ backupDir: settings.dir, intervalMs: settings.intervalMs, keep: settings.keep }, 'scheduled backups on');
  return startBackupSchedule({
    intervalMs: settings.intervalMs,
    operations: backend.operations,
    holder: `schedule:${instance}`,
    run: async (slot) => {
      const { code, lastLine } = await runBackupProcess(config.dataDir, settings);
      if (code === 0) logger.info({ slot, backupDir: settings.dir }, `scheduled backup: ${lastLine}`);
      else logger.error({ slot, backupDir: settings.dir, exitCode: code }, `scheduled backup failed: ${lastLine}`);
    },
    report: {
      skipped: (slot) => logger.debug({ slot }, 'scheduled backup taken by another instance'),
      failed: (slot, error) => logger.error({ slot, err: error }, 'scheduled backup could not start'),
    },
  });
};
