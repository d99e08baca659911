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

/**
 * What `read` answers, a failed read tried again by `retryWithBackoff` with these waits: `failed`
 * hears each failure. Undefined once `stopped` aborts, the wait then under way cancelled.
 */
export const readRetried = <T>(
  read: () => Promise<T>,
  waits: { firstMs: number; lastMs: number },
  { failed, stopped }: { failed: (error: unknown) => void; stopped: AbortSignal },
): Promise<T | undefined> =>
  new Promise((resolve) => {
    const attempt = () => {
      if (stopped.aborted) return resolve(undefined);
      read().then(resolve, (error: unknown) => {
        failed(error);
        retry.failed();
      });
    };
    const retry = retryWithBackoff(attempt, waits);
    stopped.addEventListener('abort', () => (retry.cancel(), resolve(undefined)), { once: true });
    attempt();
  });
