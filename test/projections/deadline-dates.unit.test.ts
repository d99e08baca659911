import { describe, expect, it } from 'vitest';
import { deadlineFigures } from '../../projections/plan-status/action-view.ts';
import type { CorrectionsOf } from '../../projections/plan-status/deadline-shown.ts';
import { actionLine } from '../../projections/plan-status/plan-lines.ts';
import {
  addDays,
  daysBetween,
  daysLate,
  dueDay,
  dueDayNumber,
  firstDayNumber,
  keepDueDay,
  lastDayNumber,
  quarterOf,
  slippageDays,
} from '../../projections/plan-status/dates.ts';
import { lastDayOf } from '../../events/business-date.ts';
import { foldPlanStatus } from '../../projections/plan-status/projection.ts';
import { todayAt, type Clocks } from '../../projections/clocks/clocks.ts';
import { endOfLondonDay, londonDay, startOfLondonDay } from '../../src/domain/calendar.ts';
import { agreed, ledgerFact, registered } from './facts.ts';

/** A plan with no corrections: the deadline figures read none. */
const NO_CORRECTIONS: CorrectionsOf = { corrections: [], originals: {} };

const month = (date: string) => ({ kind: 'date' as const, date });

/** Later facts come as thunks so their positions follow the plan's and the action's. */
const actionDueOn = (due: object, ...more: (() => ReturnType<typeof ledgerFact>)[]) =>
  foldPlanStatus([registered(), agreed('1.1', due), ...more.map((f) => f())])!.actions[0]!;

describe('month-precision deadlines', () => {
  it('are due on the last day of their month, leap years included', () => {
    expect(dueDay(month('2015-10'))).toBe('2015-10-31');
    expect(dueDay(month('2015-02'))).toBe('2015-02-28');
    expect(dueDay(month('2016-02'))).toBe('2016-02-29');
    expect(dueDay(month('2015-06-15'))).toBe('2015-06-15');
    expect(dueDay({ kind: 'ongoing' })).toBeUndefined();
    expect(dueDay({ kind: 'undated', wording: 'As per Suicide Prevention Action Plan' })).toBeUndefined();
  });

  it('are not overdue until the month has ended, then overdue from its first following day', () => {
    const action = actionDueOn(month('2015-10'));
    expect(deadlineFigures(actionLine(action, NO_CORRECTIONS), '2015-10-31')).toMatchObject({
      computedStatus: 'due-soon',
      daysOverdue: null,
    });
    expect(deadlineFigures(actionLine(action, NO_CORRECTIONS), '2015-11-01')).toMatchObject({ computedStatus: 'overdue', daysOverdue: 1 });
    // Due soon means within 30 days of the month's last day.
    expect(deadlineFigures(actionLine(action, NO_CORRECTIONS), '2015-10-01')).toMatchObject({ computedStatus: 'due-soon' });
    expect(deadlineFigures(actionLine(action, NO_CORRECTIONS), '2015-09-30')).toMatchObject({ computedStatus: 'on-track' });
  });

  it('count a month-precision completion as late only if the whole month is after the deadline', () => {
    expect(daysLate('2015-10', month('2015-10-15'))).toBe(0);
    expect(daysLate('2015-10-31', month('2015-10'))).toBe(0);
    expect(daysLate('2015-11-01', month('2015-10'))).toBe(1);
    expect(daysLate('2015-11', month('2015-10'))).toBe(1);
    expect(daysLate('2016-03', { kind: 'ongoing' })).toBeUndefined();
  });

  it('measure slippage and lateness against both the original and the current deadline', () => {
    const action = actionDueOn(
      month('2015-10'),
      () => ledgerFact('DeadlineRevised', { ref: '1.1', from: month('2015-10'), to: month('2016-03'), reason: 'Delayed' }),
      () => ledgerFact('ActionCompleted', { ref: '1.1', completedOn: '2016-02' }),
    );
    expect(slippageDays(month('2015-10'), month('2016-03'))).toBe(152);
    expect(deadlineFigures(actionLine(action, NO_CORRECTIONS), '2026-01-01')).toMatchObject({
      computedStatus: 'completed-on-time',
      daysLateAgainstCurrent: 0,
      daysLateAgainstOriginal: 93,
      slippageDays: 152,
      daysOverdue: null,
    });
  });

  it('never make "Ongoing" or "As per …" timescales overdue', () => {
    expect(deadlineFigures(actionLine(actionDueOn({ kind: 'ongoing', wording: 'Ongoing' }), NO_CORRECTIONS), '2030-01-01')).toMatchObject({
      computedStatus: 'ongoing',
      daysOverdue: null,
    });
    expect(
      deadlineFigures(actionLine(actionDueOn({ kind: 'undated', wording: 'As per the ACP' }), NO_CORRECTIONS), '2030-01-01'),
    ).toMatchObject({
      computedStatus: 'no-deadline',
    });
  });
});

describe('"today" is the London calendar day', () => {
  it('turns at London midnight in summer time, an hour before UTC midnight', () => {
    expect(londonDay('2026-06-30T22:59:59.999Z')).toBe('2026-06-30');
    expect(londonDay('2026-06-30T23:00:00.000Z')).toBe('2026-07-01');
  });

  it('is written with four digits of year however early, so days compare in order as text', () => {
    expect(londonDay('0999-06-01T12:00:00.000Z')).toBe('0999-06-01');
    expect(londonDay('0001-01-01T12:00:00.000Z')).toBe('0001-01-01');
    expect(londonDay(endOfLondonDay('0999-06-01'))).toBe('0999-06-01');
  });

  it('turns at UTC midnight in winter, and across both clock changes', () => {
    expect(londonDay('2026-01-31T23:59:59.999Z')).toBe('2026-01-31');
    expect(londonDay('2026-02-01T00:00:00.000Z')).toBe('2026-02-01');
    expect(londonDay('2026-03-28T23:59:59.000Z')).toBe('2026-03-28'); // clocks go forward at 01:00 UTC on 29 March
    expect(londonDay('2026-03-29T00:30:00.000Z')).toBe('2026-03-29');
    expect(londonDay('2026-10-24T23:30:00.000Z')).toBe('2026-10-25'); // still BST: 00:30 on 25 October
    expect(londonDay('2026-10-25T23:30:00.000Z')).toBe('2026-10-25'); // GMT again
  });

  it('starts a London day at midnight UTC in winter and at 23:00 UTC the day before in summer, on both clock-change days', () => {
    expect(startOfLondonDay('2026-01-31')).toBe('2026-01-31T00:00:00.000Z');
    expect(startOfLondonDay('2026-06-30')).toBe('2026-06-29T23:00:00.000Z');
    expect(startOfLondonDay('2026-03-29')).toBe('2026-03-29T00:00:00.000Z'); // the clocks go forward at 01:00 UTC that day
    expect(startOfLondonDay('2026-10-25')).toBe('2026-10-24T23:00:00.000Z'); // and back at 01:00 UTC
    for (const day of ['2026-01-31', '2026-03-29', '2026-06-30', '2026-10-25'])
      expect(new Date(Date.parse(startOfLondonDay(day)) - 1).toISOString()).toBe(
        endOfLondonDay(londonDay(new Date(Date.parse(startOfLondonDay(day)) - 1))),
      );
  });

  it('makes a June deadline overdue from 23:00 UTC on 30 June, as the reader computes it', () => {
    const action = actionDueOn(month('2026-06'));
    const at = (iso: string) => todayAt({}, new Date(iso));
    expect(deadlineFigures(actionLine(action, NO_CORRECTIONS), at('2026-06-30T22:30:00.000Z')).daysOverdue).toBeNull();
    expect(deadlineFigures(actionLine(action, NO_CORRECTIONS), at('2026-06-30T23:30:00.000Z')).daysOverdue).toBe(1);
  });

  it('answers an as-of read with the London day of that instant, never later than the server clock', () => {
    const reader = { today: (clocks: Clocks) => todayAt(clocks, new Date('2026-11-23T12:00:00.000Z')) };
    expect(reader.today({ asOf: '2026-03-28T23:59:59.000Z' })).toBe('2026-03-28');
    expect(reader.today({ asOf: '2026-10-24T23:30:00.000Z' })).toBe('2026-10-25');
    expect(reader.today({ asOf: '2031-01-01T00:00:00.000Z' })).toBe('2026-11-23');
  });
});

describe('the quarter of a day', () => {
  it('is its three-month block of the calendar, first and last days included', () => {
    expect(quarterOf('2026-01-01')).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(quarterOf('2024-03-31')).toEqual({ from: '2024-01-01', to: '2024-03-31' });
    expect(quarterOf('2026-04-01')).toEqual({ from: '2026-04-01', to: '2026-06-30' });
    expect(quarterOf('2017-08-15')).toEqual({ from: '2017-07-01', to: '2017-09-30' });
    expect(quarterOf('2026-12-31')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
  });

  it('writes a year before 1000 with four digits, and counts its February by its own leap year', () => {
    expect(quarterOf('0050-05-01')).toEqual({ from: '0050-04-01', to: '0050-06-30' });
    expect(quarterOf('0004-02-10')).toEqual({ from: '0004-01-01', to: '0004-03-31' });
    expect(lastDayOf('0004-02')).toBe('0004-02-29');
    expect(lastDayOf('0001-02')).toBe('0001-02-28');
    expect(lastDayOf('2000-02')).toBe('2000-02-29');
    expect(lastDayOf('1900-02')).toBe('1900-02-28');
  });
});

describe('day numbers read from the digits of a date', () => {
  it('count the days from 1970-01-01 as the calendar does, for every day and every month from 1900 to 2100', () => {
    const dayMs = 86_400_000;
    const pad = (n: number) => String(n).padStart(2, '0');
    const wrong: string[] = [];
    for (let day = Date.UTC(1900, 0, 1); day <= Date.UTC(2100, 11, 31); day += dayMs) {
      const iso = new Date(day).toISOString().slice(0, 10);
      if (firstDayNumber(iso) !== day / dayMs || lastDayNumber(iso) !== day / dayMs) wrong.push(iso);
    }
    for (let year = 1900; year <= 2100; year++)
      for (let m = 1; m <= 12; m++) {
        const month = `${year}-${pad(m)}`;
        if (firstDayNumber(month) !== Date.UTC(year, m - 1, 1) / dayMs) wrong.push(`${month} first`);
        if (lastDayNumber(month) !== Date.parse(`${lastDayOf(month)}T00:00:00Z`) / dayMs) wrong.push(`${month} last`);
      }
    expect(wrong).toEqual([]);
  });

  it('give the days between two days and the day a number of days later', () => {
    expect(daysBetween('2016-02-28', '2016-03-01')).toBe(2);
    expect(daysBetween('2015-03-01', '2015-02-28')).toBe(-1);
    expect(addDays('2016-12-15', 30)).toBe('2017-01-14');
  });
});

describe('a deadline value kept across reads', () => {
  it('gives the same day number as one worked out from its date, and serialises and copies as before', () => {
    for (const date of ['2015-10', '2016-02', '2015-02', '2017-08-14', '2024-12-31', '2000-02']) {
      const kept = { kind: 'date' as const, date, wording: `by ${date}` };
      const before = JSON.stringify(kept);
      keepDueDay(kept);
      // Held on the value, out of sight of everything that reads its fields.
      const symbols = Object.getOwnPropertySymbols(kept);
      expect(symbols).toHaveLength(1);
      expect(Object.getOwnPropertyDescriptor(kept, symbols[0]!)).toMatchObject({ value: lastDayNumber(date), enumerable: false });
      keepDueDay(kept);
      expect(dueDayNumber(kept)).toBe(lastDayNumber(date));
      expect(dueDayNumber(kept)).toBe(dueDayNumber({ kind: 'date', date }));
      expect(JSON.stringify(kept)).toBe(before);
      expect(Object.keys(kept)).toEqual(['kind', 'date', 'wording']);
      expect({ ...kept }).toStrictEqual({ kind: 'date', date, wording: `by ${date}` });
      expect(structuredClone(kept)).toStrictEqual({ kind: 'date', date, wording: `by ${date}` });
    }
  });

  it('leaves every other value as it was', () => {
    const values: unknown[] = [
      '2015-10',
      ['NHS Dorset'],
      { kind: 'ongoing' },
      { kind: 'date', date: 7 },
      null,
      3,
      { from: { kind: 'date', date: '2015-10' } },
    ];
    const before = values.map((v) => JSON.stringify(v));
    for (const v of values) keepDueDay(v);
    expect(values.map((v) => JSON.stringify(v))).toEqual(before);
    for (const v of values) if (typeof v === 'object' && v !== null) expect(Object.getOwnPropertySymbols(v)).toEqual([]);
  });
});
