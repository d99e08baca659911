import { expect, it } from 'vitest';
import { recordedDay } from '../../projections/clocks/recorded-day.ts';
import { londonDay } from '../../src/domain/calendar.ts';

it('names the London day an event was recorded on as londonDay does, whatever was asked earlier in the same hour', () => {
  // In order: before December 1847 the day changed 75 seconds into the hour, so an answer kept for the hour would be wrong.
  const instants = [
    '1800-01-01T00:00:30.000Z',
    '1800-01-01T00:30:00.000Z',
    '1847-12-01T00:00:30.000Z',
    '1847-12-01T00:01:15.000Z',
    '1847-12-01T01:00:00.000Z',
    '1944-06-06T21:30:00.000Z',
    '1944-06-06T22:30:00.000Z',
    '2026-06-01T22:59:59.999Z',
    '2026-06-01T23:00:00.000Z',
  ];
  expect(instants.map(recordedDay)).toEqual(instants.map((at) => londonDay(at)));
  expect(recordedDay('1800-01-01T00:30:00.000Z')).toBe('1800-01-01');
});

it('names the London day of the first and last moment of every hour as londonDay does, through double summer time and British Standard Time', () => {
  const HOUR = 3_600_000;
  const years = [
    [1940, 1948], // double summer time (two hours ahead) in 1941–45 and 1947
    [1967, 1972], // British Standard Time, an hour ahead all year, 1968–71
    [2024, 2025],
  ];
  const differing: string[] = [];
  for (const [from, to] of years)
    for (let ms = Date.UTC(from!, 0, 1); ms < Date.UTC(to!, 0, 1); ms += HOUR)
      for (const at of [new Date(ms).toISOString(), new Date(ms + HOUR - 1).toISOString()])
        if (recordedDay(at) !== londonDay(at)) differing.push(at);
  expect(differing).toEqual([]);
});
