import fs from 'node:fs';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Checkpoint } from '../integrity/checkpoint.ts';
import type { OperationKind, OperationsStore } from '../operations/port.ts';
import type { EventStore } from '../store/port.ts';

/** Where the state figures come from, read at each scrape. */
export interface LedgerStateSources {
  /** The data directory: its volume's free space is reported. */
  dataDir: string;
  events: Pick<EventStore, 'headPosition' | 'readAll'>;
  /** Each persisted projection and the last ledger position it applied (-1 before the first). */
  projections: () => { name: string; position: bigint }[];
  latestCheckpoint: () => Promise<Checkpoint | undefined>;
  operations: Pick<OperationsStore, 'latest'>;
  /** Access records accepted but not yet durable. */
  accessLogBacklog: () => number;
  /** This instance's read workers (projections/every-plan/view-pool.ts), when it has any. */
  readWorkers?: () => { configured: number; running: number; failures: number } | undefined;
  clock?: () => Date;
}

const seconds = (iso: string) => Date.parse(iso) / 1000;

/**
 * Gauges computed when Prometheus scrapes. Everything here is shared state (the ledger, the
 * operations store) or this instance's own (its read models, its disk), never a figure only
 * the process that did the work could give: a backup taken by another instance shows here too.
 */
export const registerLedgerStateGauges = (registry: Registry, sources: LedgerStateSources): void => {
  const clock = sources.clock ?? (() => new Date());
  const gauge = (name: string, help: string, collect: (g: Gauge) => Promise<void> | void, labelNames: string[] = []) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        return collect(this);
      },
    });

  gauge('ledger_events', 'Events in the ledger', async (g) => {
    const head = await sources.events.headPosition();
    g.set(head === undefined ? 0 : Number(head) + 1);
  });

  gauge(
    'ledger_projection_lag_events',
    'Events in the ledger that a projection has not applied yet',
    async (g) => {
      const head = await sources.events.headPosition();
      for (const p of sources.projections()) g.set({ projection: p.name }, head === undefined ? 0 : Math.max(0, Number(head - p.position)));
    },
    ['projection'],
  );
  gauge(
    'ledger_projection_lag_seconds',
    'How long ago the oldest event a projection has not applied was recorded (0 when it is caught up)',
    async (g) => {
      for (const p of sources.projections()) {
        let oldest: string | undefined;
        for await (const event of sources.events.readAll({ fromPosition: p.position + 1n, limit: 1 })) oldest = event.recordedAt;
        g.set({ projection: p.name }, oldest === undefined ? 0 : Math.max(0, clock().getTime() / 1000 - seconds(oldest)));
      }
    },
    ['projection'],
  );

  gauge('ledger_checkpoint_tree_size', 'Events covered by the latest signed checkpoint (0 before the first)', async (g) => {
    g.set((await sources.latestCheckpoint())?.treeSize ?? 0);
  });
  gauge(
    'ledger_checkpoint_last_signed_timestamp_seconds',
    'When the latest checkpoint was signed, Unix time (0 before the first)',
    async (g) => {
      const latest = await sources.latestCheckpoint();
      g.set(latest ? seconds(latest.issuedAt) : 0);
    },
  );
  gauge('ledger_checkpoint_age_seconds', 'Seconds since the latest checkpoint was signed (0 while the ledger is empty)', async (g) => {
    const latest = await sources.latestCheckpoint();
    const head = await sources.events.headPosition();
    g.set(latest ? clock().getTime() / 1000 - seconds(latest.issuedAt) : head === undefined ? 0 : Number.POSITIVE_INFINITY);
  });

  const lastRun = (kind: OperationKind, what: string) => {
    gauge(`ledger_${kind}_last_run_timestamp_seconds`, `When the last ${what} finished, Unix time (0 if none was recorded)`, async (g) => {
      const { last } = await sources.operations.latest(kind);
      g.set(last ? seconds(last.finishedAt) : 0);
    });
    gauge(`ledger_${kind}_last_success`, `1 if the last ${what} succeeded, 0 if it failed or none was recorded`, async (g) => {
      const { last } = await sources.operations.latest(kind);
      g.set(last?.ok ? 1 : 0);
    });
    gauge(
      `ledger_${kind}_last_success_timestamp_seconds`,
      `When the last successful ${what} finished, Unix time (0 if none)`,
      async (g) => {
        const { lastOk } = await sources.operations.latest(kind);
        g.set(lastOk ? seconds(lastOk.finishedAt) : 0);
      },
    );
  };
  lastRun('verify', 'full verification of the ledger (ledger verify, GET /ledger/verify, or a backup verifying its copy)');
  lastRun('backup', 'backup');
  gauge('ledger_backup_last_size_bytes', 'Size of the last successful backup', async (g) => {
    const { lastOk } = await sources.operations.latest('backup');
    g.set(lastOk?.bytes ?? 0);
  });

  gauge('ledger_access_log_backlog', 'Access records accepted but not yet durable (audited reads waiting for their record)', (g) =>
    g.set(sources.accessLogBacklog()),
  );
  gauge(
    'ledger_read_workers',
    'Threads reading parts of the views over every plan at a clock: configured (LEDGER_READ_WORKERS), and running now',
    (g) => {
      const state = sources.readWorkers?.();
      g.set({ state: 'configured' }, state?.configured ?? 0);
      g.set({ state: 'running' }, state?.running ?? 0);
    },
    ['state'],
  );
  new Counter({
    name: 'ledger_read_worker_failures_total',
    help: 'Read workers that failed a part, could not start or did not answer in time (the reads went to the main thread)',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(sources.readWorkers?.()?.failures ?? 0);
    },
  });
  gauge('ledger_data_volume_free_bytes', 'Bytes free to the service on the volume holding the data directory', (g) => {
    const stats = fs.statfsSync(sources.dataDir);
    g.set(Number(stats.bavail) * Number(stats.bsize));
  });
  gauge('ledger_data_volume_size_bytes', 'Size of the volume holding the data directory', (g) => {
    const stats = fs.statfsSync(sources.dataDir);
    g.set(Number(stats.blocks) * Number(stats.bsize));
  });
};
