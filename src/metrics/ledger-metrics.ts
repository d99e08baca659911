import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { registerLedgerStateGauges, type LedgerStateSources } from './ledger-state-gauges.ts';

/**
 * The service's Prometheus metrics, in a registry of its own (no module-level default
 * registry: two apps in one process, as in tests, never mix their figures). Counters and
 * histograms are observed as things happen; the state of the ledger (projection lag,
 * checkpoint age, last verify and backup, free disk, the access-log backlog) is read when
 * Prometheus scrapes, so a figure is never staler than the scrape. Names and meanings are
 * listed in docs/operations.md#metrics.
 */
export const createLedgerMetrics = (sources: LedgerStateSources) => {
  const registry = new Registry();
  // Process figures (CPU, memory, event-loop lag, GC) under their usual names, for the usual dashboards.
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'ledger_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const requestSeconds = new Histogram({
    name: 'ledger_http_request_duration_seconds',
    help: 'Time from receiving a request to answering it, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const appendSeconds = new Histogram({
    name: 'ledger_append_duration_seconds',
    help: 'Time for an append to become durable in the ledger (queue, group commit and fsync)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const batchSize = new Histogram({
    name: 'ledger_append_batch_size',
    help: 'Append requests committed together in one group-commit transaction',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 500],
    registers: [registry],
  });
  registerLedgerStateGauges(registry, sources);
  return {
    registry,
    contentType: registry.contentType,
    text: () => registry.metrics(),
    observeRequest(method: string, route: string, status: number, seconds: number) {
      const labels = { method, route, status: String(status) };
      requests.inc(labels);
      requestSeconds.observe(labels, seconds);
    },
    observeAppend: (seconds: number) => appendSeconds.observe(seconds),
    observeBatch: (requestsInBatch: number) => batchSize.observe(requestsInBatch),
  };
};
export type LedgerMetrics = ReturnType<typeof createLedgerMetrics>;
