import type { LedgerFact } from '../../projections/ledger-fact.ts';
import type { PlanDoc } from '../../projections/plan-status/document.ts';
import { evolvePlanStatus } from '../../projections/plan-status/evolve.ts';
import { planLines } from '../../projections/plan-status/plan-lines.ts';
import { planSummary } from '../../projections/plan-status/plan-view.ts';
import { foldPlanStatus } from '../../projections/plan-status/projection.ts';
import { selectByBusinessDate } from '../../projections/clocks/select-facts.ts';
import { firstDayOf, lastDayOf } from '../../events/business-date.ts';
import { endOfLondonDay, londonDay } from '../domain/calendar.ts';

/**
 * A plan's actions by computed status at a series of dates, on the clock the page is read at:
 * from the plan-status fold itself (the same evolve and the same computed status as every view).
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

const column = (doc: PlanDoc, at: string, day: string): StatusColumn => {
  const summary = planSummary(planLines(doc), { revision: doc.revision, lastRecordedAt: doc.lastRecordedAt }, day);
  return { at, day, counts: summary.actionsByComputedStatus as Record<string, number>, total: summary.actions };
};
const chartOf = (doc: PlanDoc, columns: StatusColumn[]) => ({
  title: doc.plan.title,
  columns,
  maxTotal: Math.max(1, ...columns.map((c) => c.total)),
});

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

/**
 * On the ledger clock: what the ledger said at each month end from the plan's first record to
 * `until` (the asOf, or now), the plan's facts (as recorded by `until`) folded once in recorded order.
 */
export const statusOverTime = async (facts: AsyncIterable<LedgerFact>, until: string) => {
  const all: LedgerFact[] = [];
  for await (const fact of facts) all.push(fact);
  if (all.length === 0) return undefined;
  const points = samplePoints(all[0]!.recordedAt, until);
  const columns: StatusColumn[] = [];
  let doc: PlanDoc | undefined;
  let next = 0;
  const sample = (at: string) => {
    if (!doc) return;
    columns.push(column(doc, at, londonDay(at < until ? new Date(new Date(at).getTime() - 1) : new Date(at))));
  };
  for (const fact of all) {
    while (next < points.length - 1 && fact.recordedAt >= points[next]!) sample(points[next++]!);
    doc = evolvePlanStatus(doc, fact);
  }
  while (next < points.length) sample(points[next++]!);
  return chartOf(doc!, columns);
};

/**
 * On the business clock: what was true at each month end from the month the plan was
 * registered in to `lastDay` (the effectiveOn's last day, or the ledger clock's day if that is
 * earlier), as the ledger knew it at asOf: `facts` are the plan's facts recorded by then, and
 * each column folds those that count at its day (select-facts.ts) and counts statuses as of that day.
 */
export const statusOverBusinessTime = async (facts: AsyncIterable<LedgerFact>, lastDay: string) => {
  const all: LedgerFact[] = [];
  for await (const fact of facts) all.push(fact);
  const registered = all.find((f) => f.type === 'PlanRegistered');
  if (!registered) return undefined;
  if (firstDayOf(registered.effectiveOn.date) > lastDay) return undefined;
  const points = [...thin(monthEnds(registered.effectiveOn.date.slice(0, 7), lastDay)), lastDay];
  const columns: StatusColumn[] = [];
  let last: PlanDoc | undefined;
  for (const day of points) {
    const doc = foldPlanStatus(selectByBusinessDate(all, day));
    if (!doc || doc.retraction) continue;
    columns.push(column(doc, day, day));
    last = doc;
  }
  return last && chartOf(last, columns);
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
