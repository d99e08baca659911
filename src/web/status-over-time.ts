import type { Clocks } from '../../projections/clocks/clocks.ts';
import type { PlanLines } from '../../projections/plan-status/plan-lines.ts';
import { actionsByComputedStatus } from '../../projections/plan-status/plan-view.ts';
import { lastDayOf } from '../../events/business-date.ts';
import { endOfLondonDay, londonDay } from '../domain/calendar.ts';

/**
 * A plan's actions by computed status at a series of dates, on the clock the page is read at:
 * from the plan's lines at each date, read as every list reads them (from the history of the plan
 * lines wherever it answers: docs/projections.md), with the same computed status as every view.
 */
export interface StatusColumn {
  at: string;
  day: string;
  counts: Record<string, number>;
  total: number;
}

const MAX_COLUMNS = 24;

/** At most MAX_COLUMNS - 1 of the points, evenly spaced and keeping the last. */
const thin = <T>(points: T[]): T[] => {
  const step = Math.ceil(points.length / (MAX_COLUMNS - 1)) || 1;
  return points.filter((_, i) => (points.length - 1 - i) % step === 0).slice(-(MAX_COLUMNS - 1));
};

/**
 * Month ends in London from the plan's first record to `until`, thinned to at most MAX_COLUMNS, and `until`
 * itself. Each is the first instant after the month's last London day (in summer time 23:00 UTC on that day,
 * not midnight UTC), so a column holds what was recorded by the end of the month and is named by its last day.
 */
const samplePoints = (from: string, until: string): string[] => {
  const points: string[] = [];
  for (const lastDay of monthEnds(londonDay(new Date(from)).slice(0, 7), londonDay(new Date(until)))) {
    const end = new Date(new Date(endOfLondonDay(lastDay)).getTime() + 1).toISOString();
    if (end >= until) break;
    points.push(end);
  }
  return [...thin(points), until];
};

/** The last day of each month from `month` (YYYY-MM) on, before `lastDay`. */
const monthEnds = (month: string, lastDay: string): string[] => {
  const ends: string[] = [];
  for (let [y, m] = month.split('-').map(Number) as [number, number]; ; m++) {
    // Four digits of year whatever the year, as business dates are written: month ends compare as text.
    const end = lastDayOf(`${String(y + Math.floor((m - 1) / 12)).padStart(4, '0')}-${String(((m - 1) % 12) + 1).padStart(2, '0')}`);
    if (end >= lastDay) return ends;
    ends.push(end);
  }
};

/** One plan's lines at a pair of clocks, or undefined where it is in no list there (PlanReader.planLinesAt). */
export type PlanLinesAtClocks = (clocks: Clocks) => Promise<PlanLines | undefined>;

const column = (lines: PlanLines, at: string, day: string): StatusColumn => ({
  at,
  day,
  counts: actionsByComputedStatus(lines, day) as Record<string, number>,
  total: lines.actions.length,
});
const chartOf = (lines: PlanLines, columns: StatusColumn[]) => ({
  title: lines.title,
  columns,
  maxTotal: Math.max(1, ...columns.map((c) => c.total)),
});

/**
 * On the ledger clock: what the ledger said at each month end from the plan's first record
 * (`registeredAt`) to `until` (the asOf, or the ledger's time now), each column the plan's lines
 * at that instant. A month end's column holds what was recorded before it: the instant after the
 * month's last London day, less a millisecond.
 */
export const statusOverTime = async (linesAt: PlanLinesAtClocks, registeredAt: string, until: string) => {
  const columns: StatusColumn[] = [];
  let last: PlanLines | undefined;
  for (const at of samplePoints(registeredAt, until)) {
    const asOf = at < until ? new Date(new Date(at).getTime() - 1).toISOString() : at;
    const lines = await linesAt({ asOf });
    if (!lines) continue;
    columns.push(column(lines, at, londonDay(new Date(asOf))));
    last = lines;
  }
  return last && chartOf(last, columns);
};

/**
 * On the business clock: what was true at each month end from the month the plan was
 * registered in to `lastDay` (the effectiveOn's last day, or the ledger clock's day if that is
 * earlier), as the ledger knew it at `asOf`: each column the plan's lines at both clocks, its
 * statuses counted as of that day. A column where the plan was retracted is left out.
 */
export const statusOverBusinessTime = async (linesAt: PlanLinesAtClocks, asOf: string, lastDay: string) => {
  const atLastDay = await linesAt({ asOf, effectiveOn: lastDay });
  if (!atLastDay) return undefined;
  const columns: StatusColumn[] = [];
  for (const day of thin(monthEnds(atLastDay.registeredOn.slice(0, 7), lastDay))) {
    const lines = await linesAt({ asOf, effectiveOn: day });
    if (lines) columns.push(column(lines, day, day));
  }
  columns.push(column(atLastDay, lastDay, lastDay));
  return chartOf(atLastDay, columns);
};

/** Stacked bars for the chart, laid out here rather than in the template: one rect per status per date. */
export const stackedBars = (columns: StatusColumn[], statuses: readonly string[], maxTotal: number) => {
  const left = 60;
  const bottom = 260;
  const height = 230;
  const barWidth = Math.floor(880 / Math.max(1, columns.length));
  return columns.map((column, i) => {
    let y = bottom;
    const x = left + i * barWidth;
    const rects = statuses.flatMap((status) => {
      const count = column.counts[status] ?? 0;
      if (!count) return [];
      const h = Math.round((count / maxTotal) * height);
      y -= h;
      return [{ status, x: x + 2, y, width: barWidth - 4, height: h, count }];
    });
    return { day: column.day, labelX: x + barWidth / 2, showLabel: i === 0 || i === columns.length - 1 || i % 4 === 0, rects };
  });
};
