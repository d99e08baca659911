/**
 * Runs `run` again after a failure, by itself: after `firstMs`, then twice as long after each
 * failure in a row, up to `lastMs`; `succeeded` starts the waits over. One retry waits at a
 * time, and its timer does not keep the process alive.
 */
export const retryWithBackoff = (run: () => void, { firstMs, lastMs }: { firstMs: number; lastMs: number }) => {
  let waitMs = firstMs;
  let timer: NodeJS.Timeout | undefined;
  return {
    failed() {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        run();
      }, waitMs);
      timer.unref();
      waitMs = Math.min(waitMs * 2, lastMs);
    },
    succeeded() {
      waitMs = firstMs;
    },
    cancel() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
};
