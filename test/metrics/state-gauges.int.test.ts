import fs from 'node:fs';
import path from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { registerLedgerStateGauges } from '../../src/metrics/ledger-state-gauges.ts';
import type { OperationsStore } from '../../src/operations/port.ts';
import { recordingVerify } from '../../src/operations/recorded-verify.ts';
import { openSqliteOperations } from '../../src/operations/sqlite/operations-db.ts';
import { openAsAttacker, seedPlans, useLedger } from '../integrity/ledger-fixture.ts';
import { mountSmallDisk, smallDiskSupport } from '../support/small-disk.ts';
import { createViewPool, type ViewPool } from '../../projections/every-plan/view-pool.ts';
import { openReadModels, readModelsFile } from '../../projections/read-models.ts';

/** The state gauges on a real ledger and operations store, read as Prometheus reads them. */
const gauges = (
  dataDir: string,
  ctx: ReturnType<typeof useLedger>,
  operations: OperationsStore,
  projections: () => { name: string; position: bigint }[] = () => [],
  readWorkers?: ViewPool,
) => {
  const registry = new Registry();
  registerLedgerStateGauges(registry, {
    dataDir,
    events: ctx.store,
    projections,
    latestCheckpoint: async () => (await ctx.ledger.checkpoints.latest()) ?? undefined,
    operations,
    accessLogBacklog: () => 0,
    readWorkers: () => readWorkers?.state(),
  });
  return async (name: string, labels: Record<string, string> = {}): Promise<number> => {
    const family = parsePrometheusTextFormat(await registry.metrics()).find((f) => f.name === name);
    if (!family) throw new Error(`no metric ${name}`);
    const found = family.metrics.find((m) =>
      Object.entries(labels).every(([k, v]) => (m as { labels?: Record<string, string> }).labels?.[k] === v),
    );
    return Number(found?.value);
  };
};

describe('the ledger state gauges move when their cause happens', () => {
  const ctx = useLedger();
  let operations: OperationsStore | undefined;
  afterEach(async () => {
    await operations?.close();
  });

  it('a failed verify sets last_success to 0 and moves the last run, while the last success keeps its time', async () => {
    operations = openSqliteOperations(ctx.dir.path);
    const read = gauges(ctx.dir.path, ctx, operations);
    const verify = recordingVerify(() => ctx.ledger.verify(), operations, 'test');
    await seedPlans(ctx.store, 2);
    expect((await verify()).ok).toBe(true);
    expect(await read('ledger_verify_last_success')).toBe(1);
    const lastGood = await read('ledger_verify_last_success_timestamp_seconds');
    expect(lastGood).toBeGreaterThan(0);

    const db = openAsAttacker(ctx.file);
    db.exec("UPDATE events SET body = replace(body, 'Section', 'Sectiom') WHERE position = 3");
    db.close();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await verify()).ok).toBe(false);
    expect(await read('ledger_verify_last_success')).toBe(0);
    expect(await read('ledger_verify_last_run_timestamp_seconds')).toBeGreaterThan(lastGood);
    expect(await read('ledger_verify_last_success_timestamp_seconds')).toBe(lastGood);
  });

  it("a projection's lag counts the events it has not applied and how long ago the oldest was recorded, and is 0 once it has", async () => {
    operations = openSqliteOperations(ctx.dir.path);
    await seedPlans(ctx.store, 2);
    const applied = (await ctx.store.headPosition())!;
    let position = applied;
    const read = gauges(ctx.dir.path, ctx, operations, () => [{ name: 'plan-status', position }]);
    expect(await read('ledger_projection_lag_events')).toBe(0);
    expect(await read('ledger_projection_lag_seconds')).toBe(0);
    await seedPlans(ctx.store, 1, 'later');
    const head = (await ctx.store.headPosition())!;
    expect(head).toBeGreaterThan(applied);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await read('ledger_projection_lag_events')).toBe(Number(head - applied));
    expect(await read('ledger_projection_lag_seconds')).toBeGreaterThan(0);
    position = head;
    expect(await read('ledger_projection_lag_events')).toBe(0);
    expect(await read('ledger_projection_lag_seconds')).toBe(0);
  });

  it('the read workers running follow them as they start and fail, and each failure is counted', async () => {
    operations = openSqliteOperations(ctx.dir.path);
    // A read store for the workers to open: made by opening the read models once.
    await openReadModels({ store: ctx.store, dataDir: ctx.dir.path }).close();
    const working = createViewPool({ readStoreFile: readModelsFile(ctx.dir.path), workers: 1, onError: () => {} });
    const broken = createViewPool({ readStoreFile: ctx.dir.file('no-such-dir/read-models.db'), workers: 1, onError: () => {} });
    try {
      const read = gauges(ctx.dir.path, ctx, operations, () => [], working);
      expect(await read('ledger_read_workers', { state: 'configured' })).toBe(1);
      expect(await read('ledger_read_workers', { state: 'running' })).toBe(0);
      expect(await working.ready()).toBe(1);
      expect(await read('ledger_read_workers', { state: 'running' })).toBe(1);
      expect(await read('ledger_read_worker_failures_total')).toBe(0);
      const readBroken = gauges(ctx.dir.path, ctx, operations, () => [], broken);
      expect(await broken.ready()).toBe(0);
      expect(await readBroken('ledger_read_workers', { state: 'running' })).toBe(0);
      expect(await readBroken('ledger_read_worker_failures_total')).toBe(1);
      // An instance without read workers says so.
      const none = gauges(ctx.dir.path, ctx, operations);
      expect(await none('ledger_read_workers', { state: 'configured' })).toBe(0);
    } finally {
      await working.close();
      await broken.close();
    }
  });

  const disk = smallDiskSupport();
  if (!disk.available) it.skip(`free bytes on a small real volume as it fills: skipped (${disk.reason})`, () => {});
  else
    it('free bytes on the data volume fall as the volume fills and come back when the space is freed', async () => {
      const volume = mountSmallDisk('8m');
      try {
        operations = openSqliteOperations(ctx.dir.path);
        const read = gauges(volume.path, ctx, operations);
        const empty = await read('ledger_data_volume_free_bytes');
        expect(empty).toBeGreaterThan(7 * 1024 * 1024);
        fs.writeFileSync(path.join(volume.path, 'big'), Buffer.alloc(4 * 1024 * 1024));
        expect(await read('ledger_data_volume_free_bytes')).toBe(empty - 4 * 1024 * 1024);
        volume.fill();
        expect(await read('ledger_data_volume_free_bytes')).toBeLessThan(64 * 1024);
        volume.free();
        fs.rmSync(path.join(volume.path, 'big'));
        expect(await read('ledger_data_volume_free_bytes')).toBe(empty);
      } finally {
        volume.remove();
      }
    });
});
