import { Command, InvalidArgumentError } from 'commander';
import { commandLinePrincipal } from './command-line-user.ts';
import path from 'node:path';
import { ACCESS_LOG_ARCHIVE_FOLDER } from '../access/archive/archive-folder.ts';
import { archiveAccessLog, periodMonthsBefore } from '../access/archive/archive-access-log.ts';
import type { AccessLogRetention } from '../access/archive/port.ts';
import { verifyAccessLog } from '../access/archive/verify-access-log.ts';
import type { Config } from '../config.ts';
import { requireExistingDataDir } from '../existing-data-dir.ts';
import { loadSigningKey } from '../integrity/signing-key.ts';
import { configFor, withBackend } from './with-backend.ts';

const month = (value: string) => {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw new InvalidArgumentError('must be a month, YYYY-MM');
  return value;
};
const dataDirOption = ['-d, --data-dir <dir>', "the service's data dir (overrides LEDGER_DATA_DIR)"] as const;

/** Runs with the backend's access-log retention, or says in one line that this backend cannot archive yet. */
const withRetention = (
  command: string,
  dataDir: string | undefined,
  run: (retention: AccessLogRetention, config: Config) => Promise<void>,
) => {
  const config = configFor(dataDir);
  requireExistingDataDir(config, { command: `access-log ${command}` });
  return withBackend(config, (backend) => run(backend.accessLogRetention, config), { create: false });
};

/** `ledger access-log archive|verify|status`: retention of the access log (docs/operations.md#access-log-retention). */
export const accessLogCommand = () => {
  const command = new Command('access-log').description(
    'Archive closed months of the access log to signed, hash-chained segment files, and check them',
  );

  command
    .command('archive')
    .description(
      'Archive every month before the live window to a segment file in <data dir>/access-log-archive and remove it from the ' +
        'live log (logged; verify tells it from deletion)',
    )
    .option('--before <YYYY-MM>', 'archive months before this one (default: keep LEDGER_ACCESS_LOG_LIVE_MONTHS months live)', month)
    .option(
      '--compact',
      'afterwards give the freed space back to the disk (embedded store: VACUUM, access records wait while it runs; ' +
        "KurrentDB: the engine's next scavenge does it)",
    )
    .option(...dataDirOption)
    .action((options: { before?: string; compact?: boolean; dataDir?: string }) =>
      withRetention('archive', options.dataDir, async (retention, config) => {
        const before = options.before ?? periodMonthsBefore(new Date(), config.accessLog.liveMonths - 1);
        const current = new Date().toISOString().slice(0, 7);
        if (before > current)
          throw new InvalidArgumentError(`--before ${before}: the current month (${current}) is still open and cannot be archived`);
        const by = commandLinePrincipal();
        const made = await archiveAccessLog({
          retention,
          folder: path.join(config.dataDir, ACCESS_LOG_ARCHIVE_FOLDER),
          key: loadSigningKey({ ...config.signingKey, dataDir: config.dataDir, generate: false }).key,
          before,
          by,
          say: (line) => console.log(line),
        });
        console.log(
          made.length === 0 ? `nothing to archive before ${before}` : `archived ${made.length} month(s) before ${before}, by ${by}`,
        );
        if (options.compact) {
          console.log(await retention.compact());
        }
      }),
    );

  command
    .command('verify')
    .description(
      'Check the archived segments (files, sha256, chain, signatures) and that the live log continues them with no entry ' +
        'missing. Exit 0 only when all holds',
    )
    .option(...dataDirOption)
    .action((options: { dataDir?: string }) =>
      withRetention('verify', options.dataDir, async (retention, config) => {
        const report = await verifyAccessLog({
          retention,
          folder: path.join(config.dataDir, ACCESS_LOG_ARCHIVE_FOLDER),
          publicKey: loadSigningKey({ ...config.signingKey, dataDir: config.dataDir, generate: false }).key.publicKey,
        });
        for (const a of report.archives)
          console.log(`archived ${a.period}: entries ${a.firstId}–${a.lastId} (${a.count}), on ${a.archivedAt} by ${a.archivedBy}`);
        console.log(report.live ? `live: entries ${report.live.firstId}–${report.live.lastId} (${report.live.count})` : 'live: none');
        for (const problem of report.problems) console.log(`FAILED: ${problem}`);
        if (report.ok)
          console.log(
            `OK: ${report.archivedEntries} archived and ${report.live?.count ?? 0} live entries, none missing, every segment as signed`,
          );
        process.exitCode = report.ok ? 0 : 1;
      }),
    );

  command
    .command('status')
    .description(
      'What is live, what is archived, and which archived months are past the retention period (due for review, never ' +
        'destroyed by this tool)',
    )
    .option(...dataDirOption)
    .action((options: { dataDir?: string }) =>
      withRetention('status', options.dataDir, async (retention, config) => {
        const live = await retention.liveRange();
        const due = periodMonthsBefore(new Date(), config.accessLog.retentionYears * 12);
        console.log(live ? `live: ${live.count} entries (ids ${live.firstId}–${live.lastId})` : 'live: none');
        console.log(
          `keeps ${config.accessLog.liveMonths} month(s) live; archived months are kept ${config.accessLog.retentionYears} years`,
        );
        for (const a of await retention.archives())
          console.log(
            `archived ${a.period}: ${a.count} entries in ${a.file}${a.period < due ? ' — past the retention period: due for review' : ''}`,
          );
      }),
    );
  return command;
};
