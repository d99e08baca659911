import { describe, expect, it } from 'vitest';
import { findingsPager, inPlanOrder, WHOLE_REPORT, type FindingsPage } from '../../projections/plan-status/findings-page.ts';

/** Plans with a number of findings each; the page lists the plans `lists` says, as a report does. */
const pageOf = (plans: { planId: string; findings: number }[], page: FindingsPage | typeof WHOLE_REPORT) => {
  const pager = findingsPager(page);
  const listed: string[] = [];
  for (const plan of inPlanOrder(plans)) {
    const lists = pager.lists(plan.planId);
    if (lists && plan.findings > 0) listed.push(plan.planId);
    pager.counted(plan.planId, plan.findings, lists);
  }
  return { listed, ...pager.done() };
};

const PLANS = [
  { planId: 'p3', findings: 0 },
  { planId: 'p1', findings: 2 },
  { planId: 'p5', findings: 1 },
  { planId: 'p2', findings: 3 },
  { planId: 'p4', findings: 0 },
];

describe('a page of findings by plan', () => {
  it('takes whole plans in plan-id order, whatever order they came in, until the limit is reached', () => {
    expect(pageOf(PLANS, { limit: 3 })).toEqual({ listed: ['p1', 'p2'], limit: 3, next: 'p2' });
    expect(pageOf(PLANS, { limit: 3, after: 'p2' })).toEqual({ listed: ['p5'], limit: 3, next: null });
  });

  it('ends with next null when no plan after the page has a finding, even when the page is full', () => {
    expect(pageOf(PLANS, { limit: 1, after: 'p2' })).toEqual({ listed: ['p5'], limit: 1, next: null });
    expect(pageOf(PLANS, { limit: 6 })).toEqual({ listed: ['p1', 'p2', 'p5'], limit: 6, next: null });
    expect(pageOf(PLANS, { limit: 5 })).toEqual({ listed: ['p1', 'p2'], limit: 5, next: 'p2' });
  });

  it('lists every plan with findings for the whole report, its limit the number of findings', () => {
    expect(pageOf(PLANS, WHOLE_REPORT)).toEqual({ listed: ['p1', 'p2', 'p5'], limit: 6, next: null });
  });
});
