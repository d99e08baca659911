import { setTimeout as sleep } from 'node:timers/promises';

/**
 * How long a write keeps retrying when another process appended to its plan between its
 * read and its append. Every process on the ledger serialises its own writes per plan, so a
 * conflict means a second process (another service instance, or a CLI import beside the
 * service) won the race; with a few of them a write may lose several races in a row, so the
 * bound is time, not a count of attempts.
 */
export const CONFLICT_RETRY_BUDGET_MS = 5_000;

/** Backoff before retry n (from 1): random up to 2 ms · 2^n, at most 100 ms, so racing processes fall out of step. */
const backoffMs = (n: number): number => Math.random() * Math.min(100, 2 * 2 ** n);

/**
 * Runs `attempt` until it succeeds, it fails with an error `retryable` refuses, or the
 * budget is spent (then the last error is thrown). Time is read from the monotonic clock:
 * a server clock stepped back or a fixed test clock cannot stretch or end the budget.
 */
export const retryOnConflict = async <T>(
  attempt: (n: number) => Promise<T>,
  retryable: (error: unknown) => boolean,
  budgetMs = CONFLICT_RETRY_BUDGET_MS,
): Promise<T> => {
  const started = performance.now();
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      const left = budgetMs - (performance.now() - started);
      if (!retryable(error) || left <= 0) throw error;
      await sleep(Math.min(left, backoffMs(n)));
    }
  }
};
