import type { VerifyReport } from '../integrity/verify-report.ts';
import type { OperationRun, OperationsStore } from './port.ts';

/** One line for the operations store: what a verification found. */
export const verifyRun = (report: VerifyReport, startedAt: Date, by: string, what = 'the ledger'): OperationRun => ({
  kind: 'verify',
  startedAt: startedAt.toISOString(),
  finishedAt: new Date().toISOString(),
  ok: report.ok,
  detail: report.ok
    ? `${what}: ${report.eventsChecked} events, ${report.streamsChecked} streams, ${report.checkpointsChecked} checkpoints hold`
    : `${what}: ${report.failure?.kind}: ${report.failure?.message}`.slice(0, 500),
  by,
});

/**
 * A verify function that also records its outcome in the shared operations store, so the
 * last verify result and time are known to every instance (and to /metrics) whoever ran it.
 */
export const recordingVerify =
  <A extends unknown[]>(verify: (...args: A) => Promise<VerifyReport>, operations: OperationsStore, by: string) =>
  async (...args: A): Promise<VerifyReport> => {
    const startedAt = new Date();
    const report = await verify(...args);
    await operations.record(verifyRun(report, startedAt, by));
    return report;
  };
