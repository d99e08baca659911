import type { Principal } from './principal.ts';

/**
 * Tokens already verified, keyed by the exact token text, so a client sending the same
 * token on every request pays for one signature check, not one per request. An entry
 * lives until the token expires (with the clock tolerance jose allows) or one minute,
 * whichever comes first, so a key withdrawn from the JWKS stops working within a minute.
 * Bounded: the oldest entries go first.
 */
export const createVerifiedTokenCache = (capacity = 10_000, maxAgeMs = 60_000, now: () => number = Date.now) => {
  const entries = new Map<string, { principal: Principal; until: number }>();
  return {
    get(token: string): Principal | undefined {
      const entry = entries.get(token);
      if (!entry) return undefined;
      if (entry.until <= now()) {
        entries.delete(token);
        return undefined;
      }
      return entry.principal;
    },
    set(token: string, principal: Principal, expiresAtMs: number): void {
      entries.delete(token);
      entries.set(token, { principal, until: Math.min(expiresAtMs, now() + maxAgeMs) });
      if (entries.size > capacity) entries.delete(entries.keys().next().value as string);
    },
  };
};
