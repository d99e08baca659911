import { describe, expect, it } from 'vitest';
import { deadlineReport } from '../../projections/plan-status/deadline-report.ts';
import { discrepancies } from '../../projections/plan-status/discrepancies.ts';
import { WHOLE_REPORT } from '../../projections/plan-status/findings-page.ts';
import { compareNames, organisationAccount, organisationSummaries } from '../../projections/plan-status/organisations.ts';
import { createOrganisationDirectory } from '../../src/organisations/organisation-directory.ts';
import { action, due, plan, revision } from './plan-line-fixtures.ts';

/**
 * What the accountability figures and the discrepancy report count (docs/projections.md): an
 * organisation's role in an action, completions against both deadlines, each list's threshold,
 * and how many items a page of whole plans holds (Paging).
 */
const noAliases = createOrganisationDirectory([]);
const TODAY = '2016-05-01';
const completed = (on: string) => ({ status: 'completed' as const, completedOn: on, closedOn: on });

describe("an organisation's figures", () => {
  it('counts an action it leads and is also named a partner of once, as led', () => {
    const plans = [plan('p1', [action('1.1', '2016-09', { leads: ['Dorset Police'], partners: ['Dorset Police', 'Dorset CCG'] })])];
    expect(organisationSummaries(plans, TODAY, noAliases)).toMatchObject([
      { organisation: 'Dorset CCG', actionsLed: 0, actionsPartnered: 1 },
      { organisation: 'Dorset Police', actionsLed: 1, actionsPartnered: 0 },
    ]);
    const account = organisationAccount(plans, TODAY, noAliases, 'Dorset Police')!;
    expect(account.actions.map((a) => `${a.ref}:${a.role}`)).toEqual(['1.1:lead']);
  });

  it('counts a completion on the deadline day as on time, against the original and against the current deadline alike', () => {
    const revised = { originalDue: due('2016-02-10'), deadlines: [due('2016-02-10'), due('2016-03-10')], currentDue: due('2016-03-10') };
    const plans = [
      plan('p1', [
        action('on time', '2016-02-10', completed('2016-02-10')),
        action('late then on time', '2016-02-10', { ...revised, ...completed('2016-03-10') }),
      ]),
    ];
    expect(organisationSummaries(plans, TODAY, noAliases)[0]).toMatchObject({
      completedOnTimeAgainstOriginal: 1,
      completedLateAgainstOriginal: 1,
      completedOnTimeAgainstCurrent: 2,
      completedLateAgainstCurrent: 0,
      totalSlippageDays: 29,
    });
  });
});

describe("the discrepancy report's thresholds", () => {
  it('reads a rating of "G" as green, in any case, when the action is overdue', () => {
    const rated = (rating: string) => ({ reportedRag: { rating, reportedOn: '2016-04' } });
    const plans = [
      plan('p1', [
        action('1.1', '2016-03', rated('G')),
        action('1.2', '2016-03', rated('green')),
        action('1.3', '2016-03', rated('Amber')),
      ]),
    ];
    expect(discrepancies(plans, TODAY, { limit: 100 }).greenButOverdue.map((f) => [f.ref, f.daysOverdue])).toEqual([
      ['1.1', 31],
      ['1.2', 31],
    ]);
  });

  it('flags a deadline revised three times, not one revised twice', () => {
    const revisedTimes = (n: number) => {
      const dates = ['2016-06', '2016-07', '2016-08', '2016-09'].slice(0, n + 1);
      return {
        deadlines: dates.map(due),
        currentDue: due(dates.at(-1)!),
        details: { revisions: dates.slice(1).map((to, i) => revision(dates[i]!, to)), lateRecords: [] },
      };
    };
    const plans = [plan('p1', [action('twice', '2016-06', revisedTimes(2)), action('thrice', '2016-06', revisedTimes(3))])];
    const found = discrepancies(plans, TODAY, { limit: 100 });
    expect(found.revisedMoreThanTwice.map((f) => [f.ref, f.revisions.length])).toEqual([['thrice', 3]]);
    expect(found.totals.revisedMoreThanTwice).toBe(1);
  });

  it('lists only a completed action with no evidence as completed without evidence', () => {
    const plans = [
      plan('p1', [
        action('none', '2016-03', completed('2016-03')),
        action('one', '2016-03', { ...completed('2016-03'), evidence: 1 }),
        action('withdrawn', '2016-03', { status: 'withdrawn', closedOn: '2016-03' }),
      ]),
    ];
    expect(discrepancies(plans, TODAY, { limit: 100 }).completedWithoutEvidence.map((f) => f.ref)).toEqual(['none']);
  });
});

describe('a page of whole plans', () => {
  it("counts an organisation's partnered actions towards the page's limit, and only its own items", () => {
    const partnered = (planId: string) => plan(planId, [action('1.1', '2016-09', { leads: ['Dorset CCG'], partners: ['Dorset Police'] })]);
    // Other organisations' many actions in the same plans take no place on Dorset Police's page.
    const busy = (planId: string) => ({
      ...partnered(planId),
      actions: [
        ...partnered(planId).actions,
        action('1.2', '2016-09', { leads: ['Dorset CCG'] }),
        action('1.3', '2016-09', { leads: ['Dorset CCG'] }),
      ],
    });
    const plans = [busy('p1'), partnered('p2'), partnered('p3')];
    const page = organisationAccount(plans, TODAY, noAliases, 'Dorset Police', { limit: 1 })!;
    expect(page).toMatchObject({ actionsPartnered: 3, limit: 1, next: 'p1' });
    expect(page.actions.map((a) => [a.planId, a.role])).toEqual([['p1', 'partner']]);
    const second = organisationAccount(plans, TODAY, noAliases, 'Dorset Police', { limit: 2, after: 'p1' })!;
    expect(second).toMatchObject({ limit: 2, next: null });
    expect(second.actions.map((a) => a.planId)).toEqual(['p2', 'p3']);
  });

  it('counts late records towards the limit of a discrepancy page like any other finding', () => {
    const recordedLate = { late: { count: 1, maxLagDays: 40 } };
    const plans = [plan('p1', [action('1.1', '2016-09', recordedLate)]), plan('p2', [action('2.1', '2016-09', recordedLate)])];
    const first = discrepancies(plans, TODAY, { limit: 1 });
    expect(first).toMatchObject({ limit: 1, next: 'p1', totals: { recordedLate: 2 } });
    expect(first.recordedLate.map((f) => f.planId)).toEqual(['p1']);
  });

  it('ends with next null when the plans after a full page have no findings', () => {
    const plans = [plan('p1', [action('1.1', '2016-09', { late: { count: 1, maxLagDays: 40 } })]), plan('p2', [action('2.1', '2016-09')])];
    expect(discrepancies(plans, TODAY, { limit: 1 })).toMatchObject({ limit: 1, next: null, totals: { recordedLate: 1 } });
  });
});

describe('organisation names in the cross-plan views', () => {
  it("names an action's leads in the deadline report by their canonical names, as the organisation filter does", () => {
    const ambulance = createOrganisationDirectory([{ name: 'South Western Ambulance Service', aliases: ['SWAST', 'SWASFT'] }]);
    const plans = [plan('p1', [action('1.1', '2016-04', { leads: ['SWASFT', 'Dorset Police'] })])];
    const report = deadlineReport(plans, { from: '2016-04-01', to: '2016-04-30', organisation: 'SWAST' }, TODAY, ambulance, WHOLE_REPORT);
    expect(report.organisation).toBe('South Western Ambulance Service');
    expect(report.actions.map((a) => a.leadOrganisations)).toEqual([['South Western Ambulance Service', 'Dorset Police']]);
  });

  it("orders two names the reader's order ties by their code points, so a page's cursor never passes over one", () => {
    // A soft hyphen is ignored by the reader's order (localeCompare); the names are still two strings.
    const hyphenated = 'Pol\u00ADice';
    expect(hyphenated.localeCompare('Police')).toBe(0);
    expect(compareNames(hyphenated, 'Police')).toBeGreaterThan(0);
    expect(compareNames('Police', hyphenated)).toBeLessThan(0);
    expect([hyphenated, 'Police'].sort(compareNames)).toEqual(['Police', hyphenated]);
  });
});
