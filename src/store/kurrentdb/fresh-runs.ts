/**
 * Runs `task` so that every caller gets the outcome of a run that started after it called, while
 * callers arriving together share one run: a caller arriving while a run is under way gets the
 * next one, which starts when that one ends. Reading "everything committed before I asked" from
 * a remote engine then costs one read per wave of callers, not one per caller.
 */
export const freshRuns = <T>(task: () => Promise<T>) => {
  let running: Promise<T> | undefined;
  let queued: Promise<T> | undefined;
  const start = (): Promise<T> => {
    running = task().finally(() => {
      running = undefined;
    });
    return running;
  };
  return {
    run(): Promise<T> {
      if (!running) return start();
      queued ??= running
        .catch(() => undefined)
        .then(() => {
          queued = undefined;
          // Someone may have started a run since ours ended; it started after our callers asked, too.
          return running ?? start();
        });
      return queued;
    },
    /** Resolves when no run is under way or queued. */
    async whenIdle(): Promise<void> {
      while (running || queued) await (queued ?? running)!.catch(() => undefined);
    },
  };
};
