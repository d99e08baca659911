import { describe, expect, it } from 'vitest';
import type { ClockBehind } from '../../src/store/ledger-time.ts';
import { collect } from '../support/collect.ts';
import { makeEvent, uniqueId } from '../support/events.ts';
import { useSqliteStores } from '../support/sqlite-stores.ts';
import { openLedgerIntegrity } from '../support/sqlite-integrity.ts';
import { loadSigningKey } from '../../src/integrity/signing-key.ts';
import { dirname } from 'node:path';

/** recordedAt never decreases in ledger order, whichever clock or process stamped the event. */
describe('SQLite store: ledger time', () => {
  const { open, file } = useSqliteStores();
  const at = (recordedAt: string, stream = 'plan-a') => {
    const commandId = uniqueId('c');
    return { stream, events: [makeEvent({ recordedAt, commandId })], expectedRevision: 'any' as const, commandId };
  };

  it('records an event stamped before the ledger’s last one at the ledger’s time, says so, and the chain still verifies', async () => {
    const reports: ClockBehind[] = [];
    const store = open({ onClockBehind: (report) => reports.push(report) });
    await store.append(at('2026-11-23T15:00:00.000Z'));
    await store.append(at('2026-11-23T13:00:00.000Z', 'plan-b'));
    await store.append(at('2026-11-23T15:00:00.500Z'));
    const times = (await collect(store.readAll())).map((e) => e.recordedAt);
    expect(times).toEqual(['2026-11-23T15:00:00.000Z', '2026-11-23T15:00:00.000Z', '2026-11-23T15:00:00.500Z']);
    expect(reports).toEqual([{ clock: '2026-11-23T13:00:00.000Z', ledgerTime: '2026-11-23T15:00:00.000Z', behindMs: 7_200_000 }]);
    const ledger = openLedgerIntegrity({ file: file(), key: loadSigningKey({ dataDir: dirname(file()) }).key, events: store });
    try {
      expect((await ledger.verify()).ok).toBe(true);
    } finally {
      await ledger.close();
    }
  });

  it('holds across two connections to one file: a later commit of an earlier stamp takes the ledger’s time', async () => {
    const quiet = { onClockBehind: () => {} };
    const first = open(quiet);
    const second = open(quiet);
    await second.append(at('2026-11-23T15:00:01.000Z'));
    await first.append(at('2026-11-23T15:00:00.990Z', 'plan-b'));
    await first.append({
      ...at('2026-11-23T15:00:00.995Z'),
      events: [makeEvent({ recordedAt: '2026-11-23T15:00:00.995Z' }), makeEvent({ recordedAt: '2026-11-23T15:00:00.996Z' })],
    });
    const times = (await collect(second.readAll())).map((e) => e.recordedAt);
    expect(times).toEqual([...times].sort());
    expect(new Set(times)).toEqual(new Set(['2026-11-23T15:00:01.000Z']));
  });
});
