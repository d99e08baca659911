import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor, hiddenFieldsOf } from './web-support.ts';

const open = useSecuredLedger();

describe('the correction form of a deadline revision', () => {
  it('offers the new deadline and who agreed it, and corrects only what was changed', async () => {
    const ledger = await open({}, { web: {} });
    await seedDorsetPlan(ledger);
    const manager = await ledger.keyFor('plan-manager', 'Dorset CCG');
    const revised = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/actions/1.3/deadline-revisions',
      payload: {
        to: { kind: 'date', date: '2018-03', wording: 'March 2018' },
        reason: 'Funding bid',
        agreedBy: 'Bored',
        effectiveOn: '2017-08',
      },
    });
    expect(revised.statusCode, revised.body).toBe(201);
    const revision = revised.json().eventIds[0] as string;
    const browser = browserFor(ledger);
    await browser.signIn(manager);
    // The history says the deadlines in words, from the dates the revision holds.
    const history = await browser.get('/web/plans/dorset/actions/1.3');
    expect(history.body).toMatch(/Deadline: [A-Z][a-z]+ \d{4}[^<]* → March 2018</);
    expect(history.body).not.toMatch(/\d{4}-\d{2} \(/);
    const link = `/web/plans/dorset/corrections/new?eventId=${revision}`;
    const page = await browser.get(link);
    expect(page.body).toMatch(/id="to-month" name="to-month"[^>]*value="3"/);
    expect(page.body).toMatch(/id="to-year" name="to-year"[^>]*value="2018"/);
    expect(page.body).toMatch(/name="agreedBy"[^>]*value="Bored"/);

    const before = await ledger.store.count();
    const res = await browser.submit(link, link, {
      ...hiddenFieldsOf(page.body),
      eventId: revision,
      'to-day': '',
      'to-month': '6',
      'to-year': '2018',
      agreedBy: 'Board',
      reason: 'Funding bid',
      correctionReason: 'The board agreed June',
    });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(303);
    expect(await ledger.store.count()).toBe(before + 1);
    const timeline = (await ledger.call(manager, { method: 'GET', url: '/plans/dorset/timeline' })).json();
    const correction = (timeline.entries as { type: string; changes: { field: string; after: unknown }[] }[]).at(-1)!;
    expect(correction.type).toBe('EntryCorrected');
    expect(correction.changes).toHaveLength(2);
    expect(correction.changes).toContainEqual({
      field: 'to',
      before: { kind: 'date', date: '2018-03', wording: 'March 2018' },
      after: { kind: 'date', date: '2018-06' },
    });
    expect(correction.changes).toContainEqual({ field: 'agreedBy', before: 'Bored', after: 'Board' });
    const plan = (await ledger.call(manager, { method: 'GET', url: '/plans/dorset' })).json();
    expect(plan.actions.find((a: { ref: string }) => a.ref === '1.3').currentDue).toMatchObject({ kind: 'date', date: '2018-06' });
  });
});
