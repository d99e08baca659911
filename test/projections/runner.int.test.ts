import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { LedgerFact } from '../../projections/ledger-fact.ts';
import type { PlanDoc } from '../../projections/plan-status/document.ts';
import { planStatusProjection } from '../../projections/plan-status/projection.ts';
import { openReadStore } from '../../projections/runner/sqlite/read-store.ts';
import { createProjectionRunner } from '../../projections/runner/runner.ts';
import { foldingHeld, viewsHeld } from '../../projections/runner/sqlite/views-held.ts';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { makeEvents } from '../support/events.ts';
import { generatePlanLedger } from '../support/plan-ledger-generator.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const run = promisify(execFile);
const ledgerBin = fileURLToPath(new URL('../../bin/ledger.js', import.meta.url));
let dir: ReturnType<typeof makeTempDir> | undefined;
afterEach(() => dir?.remove());

/** The plan-status projection at a given version, counting the events it folds. */
const counted = (version: number) => {
  const seen = { events: 0 };
  return {
    seen,
    projection: {
      ...planStatusProjection,
      version,
      evolve: (doc: PlanDoc | undefined, fact: LedgerFact) => (seen.events++, planStatusProjection.evolve(doc, fact)),
    },
  };
};

describe('projection runner', () => {
  it('resumes from its checkpoint on start, and rebuilds from 0 when the projection version changes', async () => {
    dir = makeTempDir('ledger-runner-');
    const store = openSqliteEventStore({ file: dir.file('ledger.db') });
    const readStore = openReadStore(dir.file('read-models.db'));
    try {
      await generatePlanLedger(store, { events: 3_000, plans: 5 });
      const v1 = counted(1);
      const first = createProjectionRunner({ store, readStore, projections: [v1.projection], chunkEvents: 400 });
      await first.start();
      expect(v1.seen.events).toBe(3_000);
      await first.stop();

      const again = counted(1);
      const second = createProjectionRunner({ store, readStore, projections: [again.projection] });
      await second.start();
      expect(again.seen.events).toBe(0);
      await second.stop();

      const v2 = counted(2);
      const bumped = createProjectionRunner({ store, readStore, projections: [v2.projection] });
      await bumped.start();
      expect(v2.seen.events).toBe(3_000);
      expect(readStore.checkpoint('plan-status')).toEqual({ version: 2, position: 2_999n });
      await bumped.stop();
    } finally {
      readStore.close();
      await store.close();
    }
  });

  it('a runner stopped while it starts holds nothing once its stop returns, and its start touches the store no more', async () => {
    dir = makeTempDir('ledger-runner-');
    const store = openSqliteEventStore({ file: dir.file('ledger.db') });
    const readStore = openReadStore(dir.file('read-models.db'));
    let closed = false;
    try {
      await generatePlanLedger(store, { events: 2_000, plans: 4 });
      const runner = createProjectionRunner({ store, readStore, projections: [planStatusProjection], chunkEvents: 200 });
      // Stopped before its start has checked the ledger, as a process told to stop while it starts is.
      const starting = runner.start();
      await runner.stop();
      expect(viewsHeld(readStore.file, planStatusProjection.name, planStatusProjection.version)).toBe(false);
      expect(foldingHeld(readStore.file)).toBe(false);
      // A process shuts its read store once the runner has stopped: the start must be done with it by then.
      readStore.close();
      closed = true;
      await expect(starting).resolves.toBeUndefined();
      expect(viewsHeld(readStore.file, planStatusProjection.name, planStatusProjection.version)).toBe(false);
    } finally {
      if (!closed) readStore.close();
      await store.close();
    }
  });

  it('a runner stopped while it takes the views over from a release that stopped is done with its stores once its stop returns', async () => {
    dir = makeTempDir('ledger-runner-');
    const store = openSqliteEventStore({ file: dir.file('ledger.db') });
    await generatePlanLedger(store, { events: 300, plans: 2 });
    // The take-over's first step is to read the head: held here until the runner has been told to stop.
    let holdHead = false;
    let headAsked!: () => void;
    const asked = new Promise<void>((resolve) => (headAsked = resolve));
    let answerHead!: () => void;
    const answer = new Promise<void>((resolve) => (answerHead = resolve));
    const slowHead: typeof store = {
      ...store,
      async headPosition() {
        if (holdHead) {
          headAsked();
          await answer;
        }
        return store.headPosition();
      },
    };
    const newerStore = openReadStore(dir.file('read-models.db'));
    const olderStore = openReadStore(dir.file('read-models.db'));
    const errors: unknown[] = [];
    let closed = false;
    const newer = createProjectionRunner({
      store,
      readStore: newerStore,
      projections: [{ ...planStatusProjection, version: planStatusProjection.version + 1 }],
    });
    const older = createProjectionRunner({
      store: slowHead,
      readStore: olderStore,
      projections: [planStatusProjection],
      lookAgainMs: 20,
      onError: (error) => errors.push(error),
    });
    try {
      await newer.start();
      await older.start();
      expect(older.retired()).toContain('folds nothing');
      holdHead = true;
      await newer.stop();
      await asked;
      setTimeout(answerHead, 50);
      await older.stop();
      const reported = errors.length;
      // Its process closes the stores once the runner has stopped.
      newerStore.close();
      olderStore.close();
      await store.close();
      closed = true;
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(errors.slice(reported)).toEqual([]);
      expect(foldingHeld(olderStore.file)).toBe(false);
      expect(viewsHeld(olderStore.file, planStatusProjection.name, planStatusProjection.version)).toBe(false);
    } finally {
      if (!closed) {
        newerStore.close();
        olderStore.close();
        await store.close();
      }
    }
  });

  it('a catch-up that fails while following, and whose return to the stored checkpoints fails too, is tried again and folds every event once', async () => {
    dir = makeTempDir('ledger-runner-');
    const store = openSqliteEventStore({ file: dir.file('ledger.db') });
    const stored = openReadStore(dir.file('read-models.db'));
    let failLedger = false;
    let failAdopt = false;
    // The read store stays busy a moment: the pass fails, and taking the store as it stands then fails once too.
    const readStore = {
      ...stored,
      adopt: () => {
        if (failAdopt) {
          failAdopt = false;
          throw new Error('the read store is busy');
        }
        stored.adopt();
      },
    };
    const failingOnce: typeof store = {
      ...store,
      readAll: (options) => {
        if (!failLedger) return store.readAll(options);
        failLedger = false;
        failAdopt = true;
        throw new Error('the ledger is busy');
      },
    };
    const errors: unknown[] = [];
    const v1 = counted(1);
    const runner = createProjectionRunner({ store: failingOnce, readStore, projections: [v1.projection], onError: (e) => errors.push(e) });
    try {
      await generatePlanLedger(store, { events: 200, plans: 2 });
      await runner.start();
      expect(v1.seen.events).toBe(200);
      failLedger = true;
      const more = makeEvents(5);
      await store.append({ stream: 'plan-more', events: more, expectedRevision: 'noStream', commandId: more[0]!.commandId });
      const deadline = Date.now() + 10_000;
      while (stored.checkpoint('plan-status')!.position < 204n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(stored.checkpoint('plan-status')!.position).toBe(204n);
      expect(errors.map(String)).toEqual(['Error: the ledger is busy', 'Error: the read store is busy']);
      expect(v1.seen.events).toBe(205);
    } finally {
      await runner.stop();
      stored.close();
      await store.close();
    }
  });

  it('`ledger rebuild` folds the ledger again and prints the figures; an unknown projection is refused', async () => {
    dir = makeTempDir('ledger-rebuild-cli-');
    const store = openSqliteEventStore({ file: dir.file('ledger.db') });
    await generatePlanLedger(store, { events: 2_000, plans: 4 });
    await store.close();
    const env = { ...process.env, LEDGER_DATA_DIR: dir.path };
    const { stdout } = await run(process.execPath, [ledgerBin, 'rebuild', 'plan-status'], { env });
    expect(stdout).toMatch(/Rebuilt plan-status: 2000 events in [\d.]+ s \(\d+ events\/s\), peak memory \d+ MiB, at position 1999/);
    const refused = await run(process.execPath, [ledgerBin, 'rebuild', 'plan-statuses'], { env }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining('Unknown projection "plan-statuses"') });
  });
});
