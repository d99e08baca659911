import { describe, expect, it } from 'vitest';
import { organisationAccounts, organisationSummaries, organisationSummary } from '../../projections/plan-status/organisations.ts';
import type { ActionLine, PlanLines } from '../../projections/plan-status/plan-lines.ts';
import { createOrganisationDirectory } from '../../src/organisations/organisation-directory.ts';
import { action as lineOf, due, plan as planOf } from './plan-line-fixtures.ts';

const action = (ref: string, leads: string[], fields: Partial<ActionLine> = {}): ActionLine =>
  lineOf(ref, '2016-06', { leads, lastUpdatedOn: '2016-01', ...fields });

const plan = (planId: string, actions: ActionLine[]): PlanLines => ({
  ...planOf(planId, actions),
  title: planId,
  recommendations: [{ ref: 'R1', text: 'Street triage', addressedTo: ['SWAST'], judgement: null }],
});

/** Lines kept between reads, as the live lists keep them: the same objects asked of again and again. */
const PLANS = [
  plan('p1', [
    action('1.1', ['SWAST'], { partners: ['Dorset Police'] }),
    action('1.2', ['SWASFT'], { status: 'completed', completedOn: '2016-08', closedOn: '2016-08' }),
  ]),
  plan('p2', [
    action('2.1', ['Dorset Police'], { currentDue: due('2016-09-30'), deadlines: [due('2016-06'), due('2016-09-30')] }),
    action('2.2', ['SWAST', 'SWASFT'], { currentDue: due('2017-01-10'), deadlines: [due('2017-01-10')], originalDue: due('2017-01-10') }),
  ]),
];

const ambulanceAliases = createOrganisationDirectory([{ name: 'South Western Ambulance Service', aliases: ['SWAST', 'SWASFT'] }]);
const noAliases = createOrganisationDirectory([]);

/** Each organisation's figures as its full account counts them, action by action. */
const countedOneByOne = (today: string, directory = noAliases) => organisationAccounts(PLANS, today, directory).map(organisationSummary);

describe("the list of organisations' figures", () => {
  it('equals each organisation counted action by action, on every day and with every directory it is asked for, whether the lines are kept or not', () => {
    // The same lines asked of repeatedly: figures kept from an earlier day or directory must not answer a later one.
    for (const [today, directory] of [
      ['2016-05-01', noAliases],
      ['2016-07-15', noAliases],
      ['2016-07-15', ambulanceAliases],
      ['2016-12-20', ambulanceAliases],
      ['2016-12-20', noAliases],
      ['2016-05-01', noAliases],
    ] as const) {
      expect(organisationSummaries(PLANS, today, directory, { kept: true })).toEqual(countedOneByOne(today, directory));
      expect(organisationSummaries(PLANS, today, directory)).toEqual(countedOneByOne(today, directory));
    }
  });

  it('counts an action led by two names of one organisation once, and follows the day for what is overdue', () => {
    const before = organisationSummaries(PLANS, '2016-05-01', ambulanceAliases, { kept: true });
    const after = organisationSummaries(PLANS, '2016-12-20', ambulanceAliases, { kept: true });
    const ambulance = (list: typeof before) => list.find((a) => a.organisation === 'South Western Ambulance Service')!;
    expect(ambulance(before)).toMatchObject({ actionsLed: 3, open: 2, overdue: 0, recommendationsAwaitingAssurance: 2 });
    expect(ambulance(after)).toMatchObject({ actionsLed: 3, open: 2, overdue: 1, dueWithin30Days: 1 });
    expect(after.find((a) => a.organisation === 'Dorset Police')).toMatchObject({ actionsLed: 1, actionsPartnered: 1, overdue: 1 });
  });
});
