import { expect } from 'vitest';
import { seedDorsetPlan, type useSecuredLedger } from '../support/access.ts';
import { browserFor } from './web-support.ts';

/**
 * The Dorset plan as a board would follow it: recorded on 10 March 2017 (registered in June 2015), with a deadline
 * revision, a change of lead, a completion and an assurance judgement recorded on 20 April, and
 * a progress update recorded on 1 July though dated May. "Today" is 1 July 2017.
 */
export const boardYearOn =
  (open: ReturnType<typeof useSecuredLedger>) =>
  async (role: 'viewer' | 'auditor' = 'viewer') => {
    let now = new Date('2017-03-10T10:00:00.000Z');
    const ledger = await open({}, { web: {}, clock: () => now });
    const { manager } = await seedDorsetPlan(ledger);
    const post = async (url: string, payload: object) => {
      const res = await ledger.call(manager, { method: 'POST', url: `/plans/dorset${url}`, payload });
      expect(res.statusCode, res.body).toBe(201);
    };
    now = new Date('2017-04-20T10:00:00.000Z');
    await post('/actions/1.3/deadline-revisions', {
      to: { kind: 'date', date: '2018-03' },
      reason: 'Mapping delayed by recruitment',
      effectiveOn: '2017-04',
    });
    await post('/actions/2.1/lead-changes', { to: ['Dorset Police', 'Dorset CCG'], effectiveOn: '2017-04' });
    await post('/actions/2.1/completion', { completedOn: '2017-04-10' });
    await post('/recommendations/R1/assurances', {
      judgement: 'partially-assured',
      assuredBy: 'Crisis Care Concordat Board',
      effectiveOn: '2017-04',
    });
    now = new Date('2017-07-01T10:00:00.000Z');
    await post('/actions/1.3/progress-updates', { narrative: 'Typed in July about May', effectiveOn: '2017-05' });
    expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor(role, 'Dorset CCG'));
    return { ledger, browser, manager, post };
  };

/**
 * What the changes form sends, as a browser sends it: its hidden fields as the page wrote them, then the dates typed
 * and the way of comparing chosen.
 */
export const sentChangesForm = (html: string, typed: { from: string; to: string; clock: 'recorded' | 'effective' }): string => {
  const start = html.indexOf('<form method="get" action="/web/plans/dorset/changes"');
  expect(start, 'the page has the changes form').toBeGreaterThan(0);
  const form = html.slice(start, html.indexOf('</form>', start));
  const query = new URLSearchParams();
  for (const hidden of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) query.append(hidden[1]!, hidden[2]!);
  for (const [name, value] of Object.entries(typed)) query.append(name, value);
  return `/web/plans/dorset/changes?${query.toString()}`;
};
