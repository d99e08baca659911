import { resourceUsage } from 'node:process';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { openReadModels, projections } from '../../projections/read-models.ts';
import { requireExistingDataDir } from '../existing-data-dir.ts';
import { configFor, withBackend } from './with-backend.ts';

/**
 * `ledger rebuild [name]`: drops a projection's documents and folds the whole ledger
 * again from position 0, with a progress bar, then prints the figures. Run it with the
 * server stopped: the server's own runner writes the same read store.
 */
export const addRebuildCommand = (program: Command) =>
  program
    .command('rebuild [name]')
    .description(`Rebuild the read models from the ledger (all, or one of: ${projections.map((p) => p.name).join(', ')})`)
    .option('-d, --data-dir <dir>', 'the data dir: the embedded ledger and the read models (overrides LEDGER_DATA_DIR)')
    .option('--no-progress', 'print only the final figures')
    .action(async (name: string | undefined, options: { dataDir?: string; progress: boolean }) => {
      if (name !== undefined && !projections.some((p) => p.name === name)) {
        console.error(`Unknown projection "${name}". Projections: ${projections.map((p) => p.name).join(', ')}`);
        process.exitCode = 2;
        return;
      }
      const config = configFor(options.dataDir);
      requireExistingDataDir(config, { command: 'rebuild' });
      await withBackend(
        config,
        async (backend) => {
          const readModels = openReadModels({ store: backend.events, workerReads: backend.workerReads, dataDir: config.dataDir });
          const bar = new cliProgress.SingleBar(
            {
              format: 'rebuild |{bar}| {percentage}% | {value}/{total} events | {speed} events/s | ETA {eta_formatted}',
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          );
          const started = performance.now();
          const speed = (done: number) => Math.round(done / Math.max((performance.now() - started) / 1000, 0.001));
          let done = 0;
          let standingAside: string | undefined;
          let position: bigint | undefined;
          let unreadable: unknown;
          // The last phase works plans' business lines out again once every event is folded: a bar of its own, in plans.
          let settling: cliProgress.SingleBar | undefined;
          if (options.progress) bar.start(await backend.events.count(), 0, { speed: 0 });
          let rebuilt = false;
          try {
            await readModels.runner.rebuild(name ? [name] : [], (p) => {
              done = p.done;
              if (!options.progress) return;
              if (p.settling) {
                if (!settling) {
                  bar.update(p.done, { speed: speed(p.done) });
                  bar.stop();
                  settling = new cliProgress.SingleBar(
                    {
                      format:
                        'settle  |{bar}| {percentage}% | {value}/{total} plans worked out on the business clock | ETA {eta_formatted}',
                    },
                    cliProgress.Presets.shades_classic,
                  );
                  settling.start(p.settling.of, 0);
                }
                settling.setTotal(p.settling.of);
                settling.update(p.settling.plans);
                return;
              }
              bar.setTotal(p.total);
              bar.update(p.done, { speed: speed(p.done) });
            });
            rebuilt = true;
          } finally {
            if (options.progress) (settling ?? bar).stop();
            // The read store may be why a rebuild failed: then the rebuild's own error is the one that
            // ends the command, and what fails after it is said in a line. The store is closed either way.
            const afterwards = (error: unknown) => {
              if (rebuilt && unreadable === undefined) unreadable = error;
              else console.error(`ledger rebuild: then also: ${error instanceof Error ? error.message : String(error)}`);
            };
            // Read before closing: a runner that stood aside for another release folded nothing, or not all of it.
            try {
              standingAside = readModels.runner.retired();
              position = readModels.runner.position();
            } catch (error) {
              afterwards(error);
            }
            try {
              await readModels.close();
            } catch (error) {
              afterwards(error);
            }
          }
          if (unreadable !== undefined) throw unreadable;
          if (standingAside !== undefined) {
            console.error(`ledger rebuild: not rebuilt: ${standingAside}`);
            process.exitCode = 1;
            return;
          }
          const seconds = (performance.now() - started) / 1000;
          // Serving instances on the same data dir fold a reset read store as soon as they see it: they
          // may finish before this process reads anything, which "0 events" alone would hide.
          if (done === 0 && position !== undefined && position >= 0n) {
            console.log(
              `Rebuilt ${name ?? projections.map((p) => p.name).join(', ')} in ${seconds.toFixed(1)} s: nothing was left to fold ` +
                `here, as the read models already stood at position ${position} (folded by another process on this data dir)`,
            );
            return;
          }
          console.log(
            `Rebuilt ${name ?? projections.map((p) => p.name).join(', ')}: ${done} events in ${seconds.toFixed(1)} s ` +
              `(${speed(done)} events/s), peak memory ${(resourceUsage().maxRSS / 1024).toFixed(0)} MiB, at position ` +
              `${position}`,
          );
        },
        // Larger pages: a rebuild reads the whole ledger.
        { readPageSize: 5000 },
      );
    });
