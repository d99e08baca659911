import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger, type SecuredLedger } from '../support/access.ts';
import { browserFor } from './web-support.ts';
import { planStream } from '../../events/streams.ts';
import { toLedgerFact, type LedgerFact } from '../../projections/ledger-fact.ts';
import { selectByBusinessDate } from '../../projections/clocks/select-facts.ts';
import { foldPlanStatus } from '../../projections/plan-status/projection.ts';
import { planLines } from '../../projections/plan-status/plan-lines.ts';
import type { PlanDoc } from '../../projections/plan-status/document.ts';
import { actionsByComputedStatus } from '../../projections/plan-status/plan-view.ts';
import { businessDate } from '../../projections/timeline/date-words.ts';
import { lastDayOf } from '../../events/business-date.ts';
import { computedStatuses } from '../../src/presentation/format.ts';
import { endOfLondonDay, londonDay } from '../../src/domain/calendar.ts';

const open = useSecuredLedger();

/** The figures table of the progress page: one row per column, its date, then the count under each status. */
const rows = (html: string) =>
  [...html.matchAll(/<tr class="nhsuk-table__row"><td class="nhsuk-table__cell">([^<]+)<\/td>(.*?)<\/tr>/g)].map((m) => ({
    date: m[1]!,
    counts: [...m[2]!.matchAll(/>(\d+)</g)].map((c) => Number(c[1])),
  }));

/** Month ends from `month` (YYYY-MM) before `lastDay`, at most 23 of them evenly spaced keeping the last, as the page thins them. */
const monthEndsBefore = (month: string, lastDay: string) => {
  const ends: string[] = [];
  for (let [y, m] = month.split('-').map(Number) as [number, number]; ; m++) {
    const end = lastDayOf(`${y + Math.floor((m - 1) / 12)}-${String(((m - 1) % 12) + 1).padStart(2, '0')}`);
    if (end >= lastDay) break;
    ends.push(end);
  }
  const step = Math.ceil(ends.length / 23) || 1;
  return ends.filter((_, i) => (ends.length - 1 - i) % step === 0).slice(-23);
};

const row = (doc: PlanDoc, day: string) => {
  const counts = actionsByComputedStatus(planLines(doc), day) as Record<string, number>;
  return { date: businessDate(day), counts: computedStatuses.map((s) => counts[s] ?? 0) };
};

/**
 * The chart by its definition (docs/web.md), folding the plan's facts from scratch for each column: on the ledger
 * clock, the facts recorded before each month end's next instant in London (and by `until` for the last column); on
 * the business clock, the facts that count at each month end from the registration's month, as recorded by `until`.
 */
const chartByDefinition = (facts: LedgerFact[], until: string, effectiveDay?: string) => {
  const known = facts.filter((f) => f.recordedAt <= until);
  if (effectiveDay === undefined) {
    const instants = monthEndsBefore(londonDay(new Date(known[0]!.recordedAt)).slice(0, 7), londonDay(new Date(until)))
      .map((day) => new Date(new Date(endOfLondonDay(day)).getTime() + 1).toISOString())
      .filter((at) => at < until);
    return [...instants, until].flatMap((at) => {
      const doc = foldPlanStatus(known.filter((f) => (at === until ? true : f.recordedAt < at)));
      return doc ? [row(doc, londonDay(new Date(at === until ? at : new Date(at).getTime() - 1)))] : [];
    });
  }
  const registered = known.find((f) => f.type === 'PlanRegistered')!;
  return [...monthEndsBefore(registered.effectiveOn.date.slice(0, 7), effectiveDay), effectiveDay].flatMap((day) => {
    const doc = foldPlanStatus(selectByBusinessDate(known, day));
    return doc && !doc.retraction ? [row(doc, day)] : [];
  });
};

const factsOf = async (ledger: SecuredLedger) => {
  const facts: LedgerFact[] = [];
  for await (const event of ledger.store.readStream(planStream('dorset'))) {
    const fact = toLedgerFact(event);
    if (fact) facts.push(fact);
  }
  return facts;
};

/**
 * The Dorset plan recorded from January 2017, month by month to September: a deadline revised, progress rated, an
 * action completed and recorded late, the completion's date corrected, a revision's deadline corrected, a later
 * action agreed. Every kind of fact that moves a column on one clock or the other.
 */
const recordedOverMonths = async () => {
  let now = new Date('2017-01-10T10:00:00.000Z');
  const ledger = await open({}, { web: {}, clock: () => now });
  await seedDorsetPlan(ledger);
  const manager = await ledger.keyFor('plan-manager', 'Dorset CCG');
  const post = async (at: string, url: string, payload: object) => {
    now = new Date(at);
    const res = await ledger.call(manager, { method: 'POST', url, payload });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().eventIds[0] as string;
  };
  const revision = await post('2017-02-14T09:00:00.000Z', '/plans/dorset/actions/1.3/deadline-revisions', {
    to: { kind: 'date', date: '2016-03' },
    reason: 'Funding bid',
    effectiveOn: '2015-09',
  });
  await post('2017-03-31T23:30:00.000Z', '/plans/dorset/actions/2.1/progress-updates', {
    narrative: 'Protocol drafted',
    reportedRag: { rating: 'Amber' },
    effectiveOn: '2016-02',
  });
  const completion = await post('2017-05-02T12:00:00.000Z', '/plans/dorset/actions/2.1/completion', { completedOn: '2016-11' });
  await post('2017-06-20T12:00:00.000Z', '/plans/dorset/corrections', {
    correctedEventId: completion,
    changes: { completedOn: '2016-02' },
    reason: 'The board minutes say February',
  });
  await post('2017-07-05T08:00:00.000Z', '/plans/dorset/corrections', {
    correctedEventId: revision,
    changes: { to: { kind: 'date', date: '2017-06' } },
    reason: 'The board agreed June 2017',
  });
  await post('2017-08-15T08:00:00.000Z', '/plans/dorset/actions', {
    ref: '3.1',
    text: 'Street triage pilot',
    leadOrganisations: ['Dorset Police'],
    partnerOrganisations: [],
    due: { kind: 'date', date: '2016-09', wording: 'September 2016' },
    effectiveOn: '2016-04',
  });
  now = new Date('2017-09-12T10:00:00.000Z');
  expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
  const browser = browserFor(ledger);
  await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
  return { ledger, browser, facts: await factsOf(ledger), now: now.toISOString() };
};

describe("the progress chart's columns", () => {
  it('each count the actions as a fold of the facts that its date selects, on either clock and at both', async () => {
    const { browser, facts, now } = await recordedOverMonths();
    const page = async (query: string) => {
      const res = await browser.get(`/web/plans/dorset/progress${query}`);
      expect(res.statusCode, query).toBe(200);
      return rows(res.body);
    };
    expect(await page('')).toEqual(chartByDefinition(facts, now));
    // Seven month ends and the day asked: the chart on the ledger clock moves month by month.
    expect(await page('')).toHaveLength(9);
    const asOfJune = endOfLondonDay('2017-06-30');
    expect(await page('?asOf=2017-06-30')).toEqual(chartByDefinition(facts, asOfJune));
    for (const effectiveOn of ['2016-01', '2016-02', '2016-06-15', '2017-06', '2017-09-01']) {
      const day = effectiveOn.length === 7 ? lastDayOf(effectiveOn) : effectiveOn;
      expect(await page(`?effectiveOn=${effectiveOn}`), effectiveOn).toEqual(chartByDefinition(facts, now, day));
      if (day <= '2017-06-30')
        expect(await page(`?asOf=2017-06-30&effectiveOn=${effectiveOn}`), `both, ${effectiveOn}`).toEqual(
          chartByDefinition(facts, asOfJune, day),
        );
    }
  });
});
