import type { FastifyRateLimitStore } from '@fastify/rate-limit';

/** Callers whose windows are kept, the least recently seen forgotten first (the library's own store keeps as many). */
const CALLERS_KEPT = 5_000;

interface Window {
  count: number;
  startedAt: number;
}

/**
 * The rate limiter's counters, as @fastify/rate-limit's in-memory store keeps them (a fixed
 * window per caller, the least recently seen caller forgotten past CALLERS_KEPT), given to it
 * through its `store` option, with one thing it cannot do: give a counted request back. A
 * request the service answers 503 could not be served, so it spends nothing (security-plugins.ts).
 */
export const rateBudgets = () => {
  const windows = new Map<string, Window>();

  class Store implements FastifyRateLimitStore {
    incr(key: string, counted: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
      const now = Date.now();
      const kept = windows.get(key);
      const window = kept && kept.startedAt + timeWindow > now ? kept : { count: 0, startedAt: now };
      window.count++;
      // Seen last, forgotten last.
      windows.delete(key);
      windows.set(key, window);
      if (windows.size > CALLERS_KEPT) windows.delete(windows.keys().next().value!);
      counted(null, { current: window.count, ttl: window.startedAt + timeWindow - now });
    }

    // Only a route with a limit of its own asks for one: none has, and its 503s would be given back to the wrong budget.
    child(): FastifyRateLimitStore {
      throw new Error('no route has a rate limit of its own: the budgets given back are the global ones');
    }
  }

  return {
    Store,
    /**
     * Gives back a request counted at `countedAt`, if its window is still the one counting; the
     * requests the window has counted then.
     */
    giveBack(key: string, countedAt: number): number | undefined {
      const window = windows.get(key);
      if (!window || window.startedAt > countedAt || window.count === 0) return undefined;
      return --window.count;
    },
  };
};
