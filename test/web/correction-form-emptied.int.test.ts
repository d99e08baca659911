import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor, hiddenFieldsOf } from './web-support.ts';

const open = useSecuredLedger();
const summaryOf = (html: string) => [...html.matchAll(/<li>\s*<a href="(#[^"]+)">([^<]*)<\/a>/g)].map((m) => `${m[1]} ${m[2]!.trim()}`);

describe('a correction whose box was emptied', () => {
  it('says at each emptied box that a correction cannot leave it empty, rather than that nothing was changed, and writes nothing', async () => {
    const ledger = await open({}, { web: {} });
    await seedDorsetPlan(ledger);
    const manager = await ledger.keyFor('plan-manager', 'Dorset CCG');
    const revised = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/actions/1.3/deadline-revisions',
      payload: { to: { kind: 'date', date: '2016-09' }, reason: 'Waiting for the pilot', agreedBy: 'Crisis Care Board' },
    });
    expect(revised.statusCode, revised.body).toBe(201);
    const eventId = (revised.json() as { eventIds: string[] }).eventIds[0]!;
    const browser = browserFor(ledger);
    await browser.signIn(manager);
    const link = `/web/plans/dorset/corrections/new?eventId=${eventId}`;
    const before = await ledger.store.count();
    const res = await browser.submit(link, link, {
      ...hiddenFieldsOf((await browser.get(link)).body),
      eventId,
      'to-day': '',
      'to-month': '',
      'to-year': '',
      reason: 'Waiting for the pilot',
      agreedBy: '',
      correctionReason: 'The board did not agree it',
    });
    expect(res.statusCode).toBe(400);
    expect(summaryOf(res.body)).toEqual([
      '#to-day New deadline cannot be left empty: a correction gives what it should say instead. Type that, or put back what was there',
      '#agreedBy Agreed by cannot be left empty: a correction gives what it should say instead. Type that, or put back what was there',
    ]);
    expect(await ledger.store.count()).toBe(before);
  });
});
