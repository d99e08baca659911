import type { LedgerFact } from '../../projections/ledger-fact.ts';
import type { PlanDoc } from '../../projections/plan-status/document.ts';
import { evolvePlanStatus } from '../../projections/plan-status/evolve.ts';
import { planLines } from '../../projections/plan-status/plan-lines.ts';
import { planSummary } from '../../projections/plan-status/plan-view.ts';
import { londonDay } from '../domain/calendar.ts';

/**
 * A plan's actions by computed status at a series of dates: what the ledger said at each,
 * from the plan-status fold itself (the same evolve and the same computed status as every
 * view), sampled as the plan's events are folded once in recorded order.
 */
export interface StatusColumn {
  at: string;
  day: string;
  counts: Record<string, number>;
  total: number;
}

const MAX_COLUMNS = 24;

/** Month ends from the plan's first record to `until`, thinned to at most MAX_COLUMNS, and `until` itself. */
const samplePoints = (from: string, until: string): string[] => {
  const points: string[] = [];
  const start = new Date(from);
  for (let y = start.getUTCFullYear(), m = start.getUTCMonth() + 1; ; m++) {
    const end = new Date(Date.UTC(y, m, 1)).toISOString();
    if (end >= until) break;
    points.push(end);
  }
  const step = Math.ceil(points.length / (MAX_COLUMNS - 1)) || 1;
  const kept = points.filter((_, i) => (points.length - 1 - i) % step === 0).slice(-(MAX_COLUMNS - 1));
  return [...kept, until];
};

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
    const day = londonDay(at < until ? new Date(new Date(at).getTime() - 1) : new Date(at));
    const summary = planSummary(planLines(doc), { revision: doc.revision, lastRecordedAt: doc.lastRecordedAt }, day);
    columns.push({ at, day, counts: summary.actionsByComputedStatus as Record<string, number>, total: summary.actions });
  };
  for (const fact of all) {
    while (next < points.length - 1 && fact.recordedAt >= points[next]!) sample(points[next++]!);
    doc = evolvePlanStatus(doc, fact);
  }
  while (next < points.length) sample(points[next++]!);
  return { title: doc!.plan.title, columns, maxTotal: Math.max(1, ...columns.map((c) => c.total)) };
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
