import { afterEach, describe, expect, it, vi } from 'vitest';
import { rateBudgets } from '../../src/access/http/rate-budgets.ts';

afterEach(() => vi.useRealTimers());

const count = (store: InstanceType<ReturnType<typeof rateBudgets>['Store']>, key: string) =>
  new Promise<number>((resolve) => store.incr(key, (_error, result) => resolve(result!.current), 60_000));

describe('the rate budgets', () => {
  it('give back a request counted in the window still counting, and none counted in one that has ended', async () => {
    vi.useFakeTimers({ now: new Date('2026-12-01T10:00:00Z'), toFake: ['Date'] });
    const budgets = rateBudgets();
    const store = new budgets.Store();
    const countedAt = Date.now();
    expect(await count(store, 'a')).toBe(1);
    expect(await count(store, 'a')).toBe(2);
    expect(budgets.giveBack('a', countedAt)).toBe(1);
    expect(await count(store, 'a')).toBe(2);
    // A minute on, a new window: what the old one counted is not taken from it.
    vi.setSystemTime(countedAt + 60_000);
    expect(await count(store, 'a')).toBe(1);
    expect(budgets.giveBack('a', countedAt)).toBeUndefined();
    expect(await count(store, 'a')).toBe(2);
    expect(budgets.giveBack('nobody', countedAt)).toBeUndefined();
  });
});
