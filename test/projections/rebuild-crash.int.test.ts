import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { planStatusProjection } from '../../projections/plan-status/projection.ts';
import { openReadModels, type ReadModels } from '../../projections/read-models.ts';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { sqliteWorkerReads } from '../../src/store/sqlite/worker-reader.ts';
import { dataDirWithBacklog } from '../support/backlog-data-dir.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const child = fileURLToPath(new URL('./rebuild-child.ts', import.meta.url));
const documents = (readModels: ReadModels) => [...readModels.readStore.documents(planStatusProjection.name)];
const rebuiltStreams = (readModels: ReadModels) => {
  const db = new Database(readModels.readStore.file, { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM rebuilt_streams').pluck().get() as number;
  } finally {
    db.close();
  }
};
let dir: ReturnType<typeof makeTempDir> | undefined;
afterEach(() => dir?.remove());

/** Starts a rebuild in a child process and SIGKILLs it once it has reported `after` times (each report follows a commit). */
const killMidRebuild = (file: string, dataDir: string, after: number, workers: number) =>
  new Promise<{ lastReported: number; finished: boolean }>((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, file, dataDir, '1500', String(workers), String(after)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let seen = 0;
    let lastReported = -1;
    let finished = false;
    createInterface({ input: proc.stdout }).on('line', (line) => {
      if (line === 'done') finished = true;
      const match = /^checkpoint (-?\d+)$/.exec(line);
      if (!match) return;
      lastReported = Number(match[1]);
      if (++seen === after) proc.kill('SIGKILL');
    });
    proc.on('error', reject);
    proc.on('exit', (_code, signal) =>
      signal === 'SIGKILL'
        ? resolve({ lastReported, finished })
        : reject(new Error(`child exited without being killed (finished: ${finished})`)),
    );
  });

describe.each([
  ['on one thread', 1],
  ['folded by two worker threads', 2],
])('rebuild crash safety, %s', (_, workers) => {
  it('resumes from its checkpoint after SIGKILL and ends equal to a clean rebuild', async () => {
    ({ dir } = await dataDirWithBacklog('ledger-rebuild-crash-', 24_000));
    const store = openSqliteEventStore({ file: dir.file('ledger.db') });
    const head = Number(await store.headPosition());

    const { lastReported, finished } = await killMidRebuild(store.file, dir.file('crashed'), 3, workers);
    expect(finished).toBe(false);

    // The resume folds the same way as the rebuild that was killed; the clean rebuild on one thread.
    const crashed = openReadModels({
      store,
      workerReads: sqliteWorkerReads(store.file),
      dataDir: dir.file('crashed'),
      runner: { rebuildWorkers: workers, parallelFromEvents: 0 },
    });
    const clean = openReadModels({ store, dataDir: dir.file('clean'), runner: { rebuildWorkers: 1 } });
    try {
      const checkpoint = Number(crashed.readStore.checkpoint(planStatusProjection.name)!.position);
      // Everything reported was committed; the kill came before the end.
      expect(checkpoint).toBeGreaterThanOrEqual(lastReported);
      expect(checkpoint).toBeLessThan(head);
      // Worker threads fold whole streams, and the checkpoints wait for the last: what they
      // committed is noted by stream, and the resume goes on from there.
      if (workers > 1) expect(rebuiltStreams(crashed)).toBeGreaterThan(0);

      let resumedEvents = 0;
      await crashed.runner.resume((p) => (resumedEvents = p.done));
      expect(resumedEvents).toBe(head - checkpoint);
      expect(crashed.runner.position()).toBe(BigInt(head));

      await clean.runner.rebuild();
      expect(documents(crashed)).toEqual(documents(clean));
      expect(documents(clean)).toHaveLength(12);
      expect(rebuiltStreams(crashed)).toBe(0);
    } finally {
      await crashed.close();
      await clean.close();
      await store.close();
    }
  }, 60_000);
});
