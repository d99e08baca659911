/**
 * Exponential backoff with jitter: the n-th retry (from 0) waits about min·2^n, at most max,
 * scattered over its upper half so that instances that lost the engine together do not all
 * come back in the same millisecond.
 */
export const backoffDelay = (attempt: number, minMs: number, maxMs: number, random: () => number = Math.random): number => {
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
};

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
