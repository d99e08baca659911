import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor, hiddenFieldsOf, dorsetSignedIn } from './web-support.ts';

const open = useSecuredLedger();
const form = '/web/plans/dorset/actions/1.3/progress-update';
/** The error summary's links: where each error sends a person, and what it says. */
const summaryOf = (html: string) => [...html.matchAll(/<li>\s*<a href="(#[^"]+)">([^<]*)<\/a>/g)].map((m) => `${m[1]} ${m[2]!.trim()}`);

describe('a form the ledger refuses', () => {
  it('points at the date boxes a refused date was typed in (future, not a date, before the action was agreed), in the words of their label, and writes nothing', async () => {
    const { ledger, browser } = await dorsetSignedIn(open, 'plan-manager', 'Dorset CCG');
    const before = await ledger.store.count();
    const send = async (day: string, month: string, year: string) =>
      browser.submit(form, form, {
        ...hiddenFieldsOf((await browser.get(form)).body),
        narrative: 'Mapping begun',
        'effectiveOn-day': day,
        'effectiveOn-month': month,
        'effectiveOn-year': year,
      });
    const future = await send('1', '1', '2030');
    expect(future.statusCode).toBe(422);
    expect(summaryOf(future.body)).toEqual(['#effectiveOn-day When it happened must be today or earlier']);
    const notADay = await send('31', '2', '2017');
    expect(notADay.statusCode).toBe(400);
    expect(summaryOf(notADay.body)).toEqual(['#effectiveOn-day When it happened must be a real date']);
    const beforeAgreement = await send('1', '1', '2001');
    expect(beforeAgreement.statusCode).toBe(422);
    expect(summaryOf(beforeAgreement.body)).toEqual(['#effectiveOn-day When it happened must not be before the action was agreed']);
    expect(await ledger.store.count()).toBe(before);
  });

  it('says in plain words that a form sent before and changed in the browser was recorded as first sent, and writes nothing', async () => {
    const { ledger, browser } = await dorsetSignedIn(open, 'plan-manager', 'Dorset CCG');
    const fields = hiddenFieldsOf((await browser.get(form)).body);
    const first = await browser.submit(form, form, { ...fields, narrative: 'Mapping begun' });
    expect(first.statusCode, first.body).toBe(303);
    const before = await ledger.store.count();
    // Back in the browser's history to the same form, its text changed, sent again.
    const again = await browser.submit(form, form, { ...fields, narrative: 'Mapping begun in two localities' });
    expect(again.statusCode).toBe(422);
    expect(summaryOf(again.body)).toEqual([
      '#narrative This form was sent before with different entries, and what it said then was recorded. Open the form again to record another entry',
    ]);
    expect(again.body).not.toContain('Idempotency-Key');
    expect(await ledger.store.count()).toBe(before);
  });

  it("points a correction's refused completion date, and an invisible character in its reason, each at its own box in its own words", async () => {
    const ledger = await open({}, { web: {} });
    await seedDorsetPlan(ledger);
    const manager = await ledger.keyFor('plan-manager', 'Dorset CCG');
    const completed = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/actions/1.3/completion',
      payload: { completedOn: '2015-09-15' },
    });
    expect(completed.statusCode, completed.body).toBe(201);
    const browser = browserFor(ledger);
    await browser.signIn(manager);
    const timeline = (await ledger.call(manager, { method: 'GET', url: '/plans/dorset/timeline' })).json();
    const completion = (timeline.entries as { type: string; eventId: string }[]).find((e) => e.type === 'ActionCompleted')!.eventId;
    const link = `/web/plans/dorset/corrections/new?eventId=${completion}`;
    const before = await ledger.store.count();
    const send = async (completedOn: string) =>
      browser.submit(link, link, {
        ...hiddenFieldsOf((await browser.get(link)).body),
        eventId: completion,
        completedOn,
        correctionReason: 'Signed off later',
      });
    const leapDay = await send('2019-02-29');
    expect(leapDay.statusCode).toBe(422);
    expect(summaryOf(leapDay.body)).toEqual(['#completedOn Completed on must be a real date, as 2019-05-15 or 2019-05']);
    const future = await send('2031-01');
    expect(summaryOf(future.body)).toEqual(['#completedOn Completed on must be today or earlier']);
    const pasted = await browser.submit(link, link, {
      ...hiddenFieldsOf((await browser.get(link)).body),
      eventId: completion,
      completedOn: '2015-09',
      correctionReason: 'Signed off\u000Blater',
    });
    expect(summaryOf(pasted.body)).toEqual([
      '#correctionReason Why this correction holds an invisible character (U+000B), often brought in by pasting from another program: type that part again',
    ]);
    expect(await ledger.store.count()).toBe(before);
  });

  it('points a refused invisible character at the box it was pasted into, saying what it is, and writes nothing', async () => {
    const { ledger, browser } = await dorsetSignedIn(open, 'plan-manager', 'Dorset CCG');
    const before = await ledger.store.count();
    const refused = await browser.submit(form, form, {
      ...hiddenFieldsOf((await browser.get(form)).body),
      narrative: 'Mapping begun',
      rating: 'Amber',
      meaning: 'Started,\u000Bat risk',
    });
    expect(refused.statusCode).toBe(422);
    expect(summaryOf(refused.body)).toEqual([
      '#meaning What that rating means holds an invisible character (U+000B), often brought in by pasting from another program: type that part again',
    ]);
    expect(await ledger.store.count()).toBe(before);
  });
});
