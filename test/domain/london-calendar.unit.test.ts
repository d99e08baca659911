import { describe, expect, it } from 'vitest';
import { endOfLondonDay, isWithinLondonYears, londonDay, startOfLondonDay } from '../../src/domain/calendar.ts';

describe("London's day at an instant, by London's own clock then", () => {
  it('changes 75 seconds into a minute before London took Greenwich time (local mean time), whatever was asked just before', () => {
    // Asked in this order, a day remembered for the minute would answer 1799-12-31 for the second.
    expect(londonDay('1800-01-01T00:01:00Z')).toBe('1799-12-31');
    expect(londonDay('1800-01-01T00:01:15Z')).toBe('1800-01-01');
    expect(londonDay('1800-01-01T00:01:14.999Z')).toBe('1799-12-31');
  });

  it('names the year before 1 as 0000, not as 1 BC without its era', () => {
    expect(londonDay('0001-01-01T00:00:00Z')).toBe('0000-12-31');
    expect(londonDay('0001-01-01T00:01:15Z')).toBe('0001-01-01');
  });

  it('keeps double summer time (UTC+2) in 1944', () => {
    expect(londonDay('1944-06-06T21:59:59Z')).toBe('1944-06-06');
    expect(londonDay('1944-06-06T22:00:00Z')).toBe('1944-06-07');
  });
});

describe("a London day's first and last milliseconds", () => {
  it.each([
    ['2026-01-15', '2026-01-15T00:00:00.000Z', '2026-01-15T23:59:59.999Z'],
    ['2026-06-15', '2026-06-14T23:00:00.000Z', '2026-06-15T22:59:59.999Z'],
    ['2026-03-29', '2026-03-29T00:00:00.000Z', '2026-03-29T22:59:59.999Z'],
    ['2026-10-25', '2026-10-24T23:00:00.000Z', '2026-10-25T23:59:59.999Z'],
    ['1944-06-06', '1944-06-05T22:00:00.000Z', '1944-06-06T21:59:59.999Z'],
    ['1800-01-01', '1800-01-01T00:01:15.000Z', '1800-01-02T00:01:14.999Z'],
    ['0001-01-01', '0001-01-01T00:01:15.000Z', '0001-01-02T00:01:14.999Z'],
    ['9999-12-31', '9999-12-31T00:00:00.000Z', '9999-12-31T23:59:59.999Z'],
  ])('%s runs from %s to %s, each of them in the day and the instants either side not', (day, start, end) => {
    expect(startOfLondonDay(day)).toBe(start);
    expect(endOfLondonDay(day)).toBe(end);
    const ms = (iso: string, by: number) => new Date(Date.parse(iso) + by);
    expect([londonDay(ms(start, -1)), londonDay(start), londonDay(end), londonDay(ms(end, 1))]).toEqual([
      expect.not.stringMatching(day),
      day,
      day,
      expect.not.stringMatching(day),
    ]);
  });

  it('every day of 1940-1950 and 2020-2030 ends where the next begins, a millisecond apart', () => {
    for (const year of [1940, 2020])
      for (let d = new Date(Date.UTC(year, 0, 1)); d.getUTCFullYear() < year + 10; d.setUTCDate(d.getUTCDate() + 1)) {
        const day = d.toISOString().slice(0, 10);
        const next = new Date(d.getTime() + 86_400_000).toISOString().slice(0, 10);
        expect(Date.parse(startOfLondonDay(next)) - Date.parse(endOfLondonDay(day)), day).toBe(1);
        expect(londonDay(endOfLondonDay(day)), day).toBe(day);
      }
  });

  it("holds London's years 0001 to 9999, and no instant either side", () => {
    expect(isWithinLondonYears('0001-01-01T00:01:15.000Z')).toBe(true);
    expect(isWithinLondonYears('0001-01-01T00:01:14.999Z')).toBe(false);
    expect(isWithinLondonYears('9999-12-31T23:59:59.999Z')).toBe(true);
    expect(isWithinLondonYears('+010000-01-01T00:00:00.000Z')).toBe(false);
  });
});
