import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor, formAsBrowserSends } from './web-support.ts';

const open = useSecuredLedger();
const formOf = (html: string) => formAsBrowserSends(html, '/web/plans/dorset/corrections/new');

describe('the correction form, when someone else corrects the entry while it is open', () => {
  it('corrects only what this person changed: sent again after the conflict, it keeps the other correction', async () => {
    const ledger = await open({}, { web: {} });
    await seedDorsetPlan(ledger);
    const manager = await ledger.keyFor('plan-manager', 'Dorset CCG');
    const browser = browserFor(ledger);
    await browser.signIn(manager);
    const history = await browser.get('/web/plans/dorset/actions/1.3');
    const link = /href="(\/web\/plans\/dorset\/corrections\/new\?eventId=[^"]+)"/.exec(history.body)![1]!.replace(/&amp;/g, '&');
    const opened = await browser.get(link);
    const shown = formOf(opened.body);
    expect(shown.text).toBe('Mapping services');

    // A colleague corrects the action's text while the form is open.
    const eventId = shown.eventId!;
    const colleague = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/corrections',
      payload: { correctedEventId: eventId, changes: { text: 'Mapping crisis services' }, reason: 'Wording agreed at the board' },
    });
    expect(colleague.statusCode, colleague.body).toBe(201);

    // This person leaves the text as it opened and gives the date the entry really happened.
    const before = await ledger.store.count();
    const first = await browser.submit(link, link, {
      ...shown,
      'correctedEffectiveOn-month': '4',
      'correctedEffectiveOn-year': '2015',
      correctionReason: 'Agreed in April',
    });
    expect(first.statusCode).toBe(412);
    expect(await ledger.store.count()).toBe(before);
    expect(first.body).toContain('Changed since you opened it: Text');
    const again = formOf(first.body);
    expect(again.text).toBe('Mapping crisis services');
    expect(again['correctedEffectiveOn-month']).toBe('4');

    const second = await browser.submit(link, link, again);
    expect(second.statusCode, second.body.slice(0, 500)).toBe(303);
    expect(await ledger.store.count()).toBe(before + 1);
    const plan = (await ledger.call(manager, { method: 'GET', url: '/plans/dorset' })).json();
    const action = plan.actions.find((a: { ref: string }) => a.ref === '1.3');
    expect(action.text).toBe('Mapping crisis services');
    const timeline = (await ledger.call(manager, { method: 'GET', url: '/plans/dorset/timeline' })).json();
    const latest = (timeline.entries as { type: string; changes: { field: string }[] }[])
      .filter((e) => e.type === 'EntryCorrected')
      .at(-1)!;
    expect(latest.changes.map((c) => c.field)).toEqual(['effectiveOn']);
  });
});
