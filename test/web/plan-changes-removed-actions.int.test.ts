import { describe, expect, it } from 'vitest';
import { useSecuredLedger } from '../support/access.ts';
import { boardYearOn } from './plan-changes-support.ts';

const open = useSecuredLedger();
const boardYear = boardYearOn(open);

/** A page's words, without its markup. */
const wordsOf = (html: string) =>
  html
    .replaceAll('&#39;', "'")
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');

describe("the plan's changes page, of actions removed", () => {
  it('lists an action as removed only compared as the ledger recorded it at a business date, which it names', async () => {
    const { ledger, browser, manager } = await boardYear();
    const entries = (await ledger.call(manager, { method: 'GET', url: '/plans/dorset/timeline' })).json().entries as {
      type: string;
      eventId: string;
      about: { ref: string | null };
    }[];
    const agreed = entries.find((e) => e.type === 'ActionAgreed' && e.about.ref === '1.3')!.eventId;
    // Recorded on 1 July 2017: action 1.3 was agreed in March 2017, not June 2015.
    const res = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/corrections',
      payload: { correctedEventId: agreed, correctedEffectiveOn: '2017-03', reason: 'Agreed at the March 2017 board' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);

    // Read at June 2016 on either side of the correction, the action goes: the date it moved past is the page's own.
    const atBusinessDate = wordsOf((await browser.get('/web/plans/dorset/changes?from=2017-06-30&to=2017-07-01&effectiveOn=2016-06')).body);
    expect(atBusinessDate).toContain('Actions removed 1');
    expect(atBusinessDate).toContain('the date each was agreed, or the date of what it belongs to, to after June 2016.');
    // Every other way of comparing has a later end hold every action an earlier one does: the same correction changes the
    // action (its agreement, as the ledger recorded it), or brings it in (by the dates things happened), and nothing is
    // removed, so the words above never lack that date.
    for (const [window, counts] of [
      ['from=2017-06-30&to=2017-07-01', 'Actions added 0 Actions changed 1 Actions removed 0'],
      ['from=2016-06&to=2017-03&clock=effective', 'Actions added 1 Actions changed 0 Actions removed 0'],
      ['from=2017-03&to=2017-06&clock=effective', 'Actions added 0 Actions changed 2 Actions removed 0'],
    ]) {
      const page = await browser.get(`/web/plans/dorset/changes?${window}`);
      expect(page.statusCode, window).toBe(200);
      expect(wordsOf(page.body), window).toContain(counts);
      expect(page.body, window).not.toContain('<h2 class="nhsuk-heading-m">Actions removed</h2>');
    }
    // Nor does a page answering 400 for a business date it cannot read: it shows the present, at no business date, under
    // the error.
    const refused = await browser.get('/web/plans/dorset/changes?from=2017-06-30&to=2017-07-01&effectiveOn=2016-13');
    expect(refused.statusCode).toBe(400);
    expect(wordsOf(refused.body)).toContain('Actions added 0 Actions changed 1 Actions removed 0');
    // Nor one with a ledger date beside the business date, which does not go with the ledger clock compared on: it is
    // refused before anything is compared, as by the API.
    const misplaced = await browser.get('/web/plans/dorset/changes?from=2017-06-30&to=2017-07-01&effectiveOn=2016-06&asOf=garbage');
    expect(misplaced.statusCode).toBe(400);
    expect(misplaced.body).not.toContain('<h2 class="nhsuk-heading-m">Actions removed</h2>');
  });
});
