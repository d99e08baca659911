import { describe, expect, it } from 'vitest';
import type { Due } from '../../events/business-date.ts';
import { inForceWhenAgreed } from '../../projections/plan-status/plan-lines.ts';

const date = (d: string): Due => ({ kind: 'date', date: d });
const after = (revisions: string[], deadlines: Due[]) =>
  inForceWhenAgreed(
    revisions.map((effectiveOn) => ({ effectiveOn })),
    deadlines,
  ).map((r) => [r.revision.effectiveOn, r.deadlineInForce, r.afterDeadline]);

describe('a deadline revision agreed after the deadline in force had passed', () => {
  it('is one agreed after the last day of the deadline it moved: a month deadline is due on its last day', () => {
    expect(after(['2015-10-31', '2015-11-01', '2015-11'], [date('2015-10'), date('2016-01'), date('2016-01')])).toEqual([
      ['2015-10-31', date('2015-10'), false],
      ['2015-11-01', date('2016-01'), false],
      ['2015-11', date('2016-01'), false],
    ]);
    expect(after(['2015-11-01'], [date('2015-10'), date('2016-01')])).toEqual([['2015-11-01', date('2015-10'), true]]);
    // A revision dated by its month counts from the month's first day: only one surely after the deadline is said to be.
    expect(after(['2015-10', '2015-11'], [date('2015-10-15'), date('2015-10-20'), date('2016-01')]).map((r) => r[2])).toEqual([
      false,
      true,
    ]);
  });

  it('is weighed against the deadline each revision moved, so of two revisions only the later can be late', () => {
    expect(after(['2015-09', '2016-04-02'], [date('2015-10'), date('2016-03'), date('2016-09')]).map((r) => r[2])).toEqual([false, true]);
  });

  it('is never one that moved an ongoing or undated timescale, which has no day to pass; a dated one moved to ongoing after it passed is', () => {
    const ongoing: Due = { kind: 'ongoing', wording: 'Ongoing' };
    const undated: Due = { kind: 'undated', wording: 'As per the ACP' };
    expect(after(['2030-01-01', '2030-01-01'], [ongoing, undated, date('2031-01')]).map((r) => r[2])).toEqual([false, false]);
    expect(after(['2016-01-05'], [date('2015-10'), ongoing]).map((r) => r[2])).toEqual([true]);
  });
});
