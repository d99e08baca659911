import { describe, expect, it } from 'vitest';
import { deadlineFigures } from '../../projections/plan-status/action-view.ts';
import { deadlineReport } from '../../projections/plan-status/deadline-report.ts';
import { WHOLE_REPORT } from '../../projections/plan-status/findings-page.ts';
import { organisationSummaries } from '../../projections/plan-status/organisations.ts';
import type { ActionLine, PlanLines } from '../../projections/plan-status/plan-lines.ts';
import { createOrganisationDirectory } from '../../src/organisations/organisation-directory.ts';
import { action, due, plan } from './plan-line-fixtures.ts';

/**
 * The cross-plan views at the edges of their days: a deadline's own last day, the window's first
 * and last, the 30th and 31st day ahead, the 90th and 91st day without an update
 * (docs/projections.md, "Date rules" and "Each action"). Lines as the views read them.
 */
const noAliases = createOrganisationDirectory([]);
const TODAY = '2016-05-01';

const outcomes = (plans: PlanLines[], from: string, to: string, today = TODAY) =>
  Object.fromEntries(deadlineReport(plans, { from, to }, today, noAliases, WHOLE_REPORT).actions.map((a) => [a.ref, a.outcome]));

describe("the deadline report's window and outcomes", () => {
  it("counts a deadline on the window's first or last day as in it, and one a day outside as not", () => {
    const plans = [
      plan('p1', [
        action('first', '2016-03-01'),
        action('last', '2016-03-31'),
        action('before', '2016-02-29'),
        action('after', '2016-04-01'),
        // A deadline on the window's first day, revised out of it: the report says it was revised.
        action('moved', '2016-03-01', { currentDue: due('2016-06'), deadlines: [due('2016-03-01'), due('2016-06')] }),
      ]),
    ];
    expect(outcomes(plans, '2016-03-01', '2016-03-31', '2016-02-01')).toEqual({ first: 'open', last: 'open', moved: 'revised' });
  });

  it("keeps an open action open on its deadline's last day, and missed from the day after", () => {
    const plans = [plan('p1', [action('1.1', '2016-04')])];
    expect(outcomes(plans, '2016-04', '2016-04-30', '2016-04-30')).toEqual({ '1.1': 'open' });
    expect(outcomes(plans, '2016-04', '2016-04-30', '2016-05-01')).toEqual({ '1.1': 'missed' });
  });

  it('counts a completion on the deadline day as met, and a withdrawn or subsumed action as closed', () => {
    const plans = [
      plan('p1', [
        action('done', '2016-04-15', { status: 'completed', completedOn: '2016-04-15', closedOn: '2016-04-15' }),
        action('late', '2016-04-15', { status: 'completed', completedOn: '2016-04-16', closedOn: '2016-04-16' }),
        action('withdrawn', '2016-04-15', { status: 'withdrawn', closedOn: '2016-03' }),
        action('subsumed', '2016-04-15', { status: 'subsumed', closedOn: '2016-03' }),
      ]),
    ];
    expect(outcomes(plans, '2016-04-01', '2016-04-30')).toEqual({ done: 'met', late: 'missed', withdrawn: 'closed', subsumed: 'closed' });
  });
});

describe('due within 30 days, overdue and stale, on the boundary days', () => {
  const plans = [
    plan('p1', [
      action('yesterday', '2016-04-30'),
      action('today', '2016-05-01'),
      action('day 30', '2016-05-31'),
      action('day 31', '2016-06-01'),
      action('closed', '2016-05-10', { status: 'withdrawn', closedOn: '2016-04' }),
    ]),
  ];

  it("counts an organisation's actions due from today to the 30th day ahead, not the 31st, nor one overdue or closed", () => {
    const [police] = organisationSummaries(plans, TODAY, noAliases);
    expect(police).toMatchObject({ organisation: 'Dorset Police', actionsLed: 5, open: 4, overdue: 1, dueWithin30Days: 2 });
  });

  it('reads an action due on the 30th day ahead as due soon, and on the 31st as on track', () => {
    const status = (ref: string) =>
      deadlineFigures(
        plans[0]!.actions.find((a) => a.ref === ref)!,
        TODAY,
      ).computedStatus;
    expect([status('yesterday'), status('today'), status('day 30'), status('day 31')]).toEqual([
      'overdue',
      'due-soon',
      'due-soon',
      'on-track',
    ]);
  });

  it('makes an open action stale after more than 90 days without an update, never a closed one', () => {
    // 1 February to 1 May 2016 is 90 days (a leap year); 31 January is 91.
    const stale = (fields: Partial<ActionLine>) => deadlineFigures(action('1.1', '2017-01', fields), TODAY).stale;
    expect(stale({ lastUpdatedOn: '2016-02-01' })).toBe(false);
    expect(stale({ lastUpdatedOn: '2016-01-31' })).toBe(true);
    expect(stale({ lastUpdatedOn: '2016-01-31', status: 'inProgress' })).toBe(true);
    expect(stale({ lastUpdatedOn: '2016-01-31', status: 'withdrawn', closedOn: '2016-02' })).toBe(false);
  });
});
