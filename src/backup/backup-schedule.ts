import type { OperationsStore } from '../operations/port.ts';

export interface BackupScheduleOptions {
  /** How often a backup is due (the schedule's slots are whole multiples of it since the Unix epoch). */
  intervalMs: number;
  operations: Pick<OperationsStore, 'claim'>;
  /** Who this instance is, in the claim: host and process id. */
  holder: string;
  /** Takes one backup; resolves when it has finished, however it ended. */
  run: (slot: string) => Promise<void>;
  report: { skipped: (slot: string) => void; failed: (slot: string, error: unknown) => void };
  clock?: () => number;
  /** How often the instance looks whether a new slot has begun (default: a minute, or the interval if shorter). */
  tickMs?: number;
}

export interface BackupSchedule {
  /**
   * Stops looking for new slots. A backup already running is a process of its own: it carries on
   * and records its outcome, so stopping the service never waits for it nor cuts it short.
   */
  stop(): void;
}

/** The slot a moment falls in, named by its start: "2026-12-01T00:00:00.000Z" for a daily interval. */
export const slotOf = (now: number, intervalMs: number): string => new Date(Math.floor(now / intervalMs) * intervalMs).toISOString();

/**
 * Scheduled backups with several instances on one ledger: each instance looks every tick
 * whether a new slot has begun; for a slot it has not tried yet it asks the shared operations
 * store for the slot, and only the one instance whose claim succeeds takes that backup. An
 * instance starting part-way through a slot whose backup nobody took takes it then, so a
 * restart never skips one. One backup at a time per instance; a slow backup makes the next
 * slot wait for the next tick, never two at once here.
 */
export const startBackupSchedule = (options: BackupScheduleOptions): BackupSchedule => {
  const clock = options.clock ?? Date.now;
  const tickMs = options.tickMs ?? Math.min(60_000, options.intervalMs);
  let tried: string | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = async () => {
    if (stopped || running) return;
    const slot = slotOf(clock(), options.intervalMs);
    if (slot === tried) return;
    tried = slot;
    running = (async () => {
      try {
        if (await options.operations.claim('backup', slot, options.holder)) await options.run(slot);
        else options.report.skipped(slot);
      } catch (error) {
        options.report.failed(slot, error);
      } finally {
        running = undefined;
      }
    })();
    await running;
  };
  const timer = setInterval(() => void tick(), tickMs);
  // The schedule alone must not keep a process alive that is otherwise done.
  timer.unref();
  void tick();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
};
