import { describe, expect, it } from 'vitest';
import { ledgerNow } from '../../src/store/ledger-now.ts';
import { makeEvent, uniqueId } from '../support/events.ts';
import { useSqliteStores } from '../support/sqlite-stores.ts';

const stores = useSqliteStores();

describe("the ledger's time now", () => {
  it("is the clock's reading, or the last event's recordedAt when a clock ahead of this one stamped it", async () => {
    const store = stores.open();
    const now = new Date('2026-12-03T10:00:00.000Z');
    expect(await ledgerNow(store, now)).toBe(now.toISOString());
    const append = (recordedAt: string) => {
      const event = makeEvent({ recordedAt });
      return store.append({ stream: uniqueId('plan'), events: [event], expectedRevision: 'noStream', commandId: event.commandId });
    };
    await append('2026-12-03T09:59:00.000Z');
    expect(await ledgerNow(store, now)).toBe(now.toISOString());
    await append('2026-12-03T10:02:00.000Z');
    expect(await ledgerNow(store, now)).toBe('2026-12-03T10:02:00.000Z');
  });
});
