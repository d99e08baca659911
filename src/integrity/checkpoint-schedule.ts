import type { Checkpoint } from './checkpoint.ts';

export interface CheckpointSchedule {
  /** Stops the timer and waits for a signing in progress. */
  stop(): Promise<void>;
}

/** How often an empty ledger is looked at, so its first events are signed within a second or so, not a whole interval later. */
export const EMPTY_LEDGER_POLL_MS = 1000;

/**
 * Signs a checkpoint at once (a ledger that already holds events, such as the demo data just
 * imported, has a signed checkpoint from its first moments), then every intervalMs when the
 * ledger grew (checkpointNow decides). While the ledger is still empty it looks again every
 * EMPTY_LEDGER_POLL_MS, so the first events are signed promptly too. One run at a time; a
 * failure is reported and the next tick tries again, so a busy disk never stops it.
 */
export const startCheckpointSchedule = (
  checkpointNow: () => Promise<{ checkpoint: Checkpoint | undefined; created: boolean }>,
  intervalMs: number,
  report: { signed: (c: Checkpoint) => void; failed: (error: unknown) => void },
  emptyLedgerPollMs = EMPTY_LEDGER_POLL_MS,
): CheckpointSchedule => {
  if (intervalMs === 0) return { stop: async () => undefined };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const next = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(tick, ms);
    // The timer alone must not keep a process alive that is otherwise done.
    timer.unref();
  };
  const tick = () => {
    running = checkpointNow()
      .then(
        ({ checkpoint, created }) => {
          if (created && checkpoint) report.signed(checkpoint);
          return checkpoint === undefined;
        },
        (error: unknown) => {
          report.failed(error);
          return false;
        },
      )
      .then((empty) => {
        running = undefined;
        next(empty ? Math.min(emptyLedgerPollMs, intervalMs) : intervalMs);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
};
