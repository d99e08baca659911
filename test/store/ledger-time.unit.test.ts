import { describe, expect, it } from 'vitest';
import { createClockWatch, ledgerTimeFor, type ClockBehind } from '../../src/store/ledger-time.ts';

describe('ledger time', () => {
  it('is the clock, unless the clock reads earlier than the ledger already does', () => {
    expect(ledgerTimeFor('2026-11-23T15:00:00.000Z', undefined)).toBe('2026-11-23T15:00:00.000Z');
    expect(ledgerTimeFor('2026-11-23T15:00:00.000Z', '2026-11-23T14:00:00.000Z')).toBe('2026-11-23T15:00:00.000Z');
    expect(ledgerTimeFor('2026-11-23T13:00:00.000Z', '2026-11-23T15:00:00.000Z')).toBe('2026-11-23T15:00:00.000Z');
  });

  it('warns once when the clock is more than a second behind, then at most once a minute, counting the events between', () => {
    let now = 0;
    const warnings: Array<{ message: string; details: ClockBehind & { eventsSinceLastWarning: number } }> = [];
    const watch = createClockWatch({ warn: (message, details) => warnings.push({ message, details }), now: () => now });
    const behind = (behindMs: number): ClockBehind => ({ clock: 'c', ledgerTime: '2026-11-23T15:00:00.000Z', behindMs });
    watch(behind(3)); // two processes committing a few milliseconds out of order: ordinary
    expect(warnings).toHaveLength(0);
    watch(behind(2 * 3600_000));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('2h 0m 0s behind');
    expect(warnings[0]!.message).toContain('2026-11-23T15:00:00.000Z');
    now += 30_000;
    watch(behind(2 * 3600_000 - 30_000));
    watch(behind(2 * 3600_000 - 30_000));
    expect(warnings).toHaveLength(1);
    now += 31_000;
    watch(behind(2 * 3600_000 - 61_000));
    expect(warnings).toHaveLength(2);
    expect(warnings[1]!.details.eventsSinceLastWarning).toBe(3);
  });
});
