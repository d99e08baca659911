import type { Checkpoint } from './checkpoint.ts';

export interface CheckpointSchedule {
  /** Stops the timer and waits for a signing in progress. */
  stop(): Promise<void>;
}

/**
 * Signs a checkpoint every intervalMs when the ledger grew (checkpointNow decides). One run at
 * a time; a failure is reported and the next tick tries again, so a busy disk never stops it.
 */
export const startCheckpointSchedule = (
  checkpointNow: () => Promise<{ checkpoint: Checkpoint | undefined; created: boolean }>,
  intervalMs: number,
  report: { signed: (c: Checkpoint) => void; failed: (error: unknown) => void },
): CheckpointSchedule => {
  if (intervalMs === 0) return { stop: async () => undefined };
  let running: Promise<void> | undefined;
  const tick = () => {
    running ??= checkpointNow()
      .then(({ checkpoint, created }) => {
        if (created && checkpoint) report.signed(checkpoint);
      }, report.failed)
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, intervalMs);
  // The timer alone must not keep a process alive that is otherwise done.
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
};
