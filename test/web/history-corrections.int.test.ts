import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor } from './web-support.ts';

const open = useSecuredLedger();

/** The Dorset plan, and a plan manager's POST that expects 201 and gives the first event's id. */
const dorsetWithManager = async () => {
  const ledger = await open({}, { web: {} });
  await seedDorsetPlan(ledger);
  const manager = await ledger.keyFor('plan-manager', 'Dorset CCG');
  const post = async (url: string, payload: object) => {
    const res = await ledger.call(manager, { method: 'POST', url, payload });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().eventIds[0] as string;
  };
  return { ledger, post };
};

describe("an action's history after corrections", () => {
  it('marks an entry whose values were corrected with what it reads now, and shows corrections of corrections in words', async () => {
    const { ledger, post } = await dorsetWithManager();
    const update = await post('/plans/dorset/actions/1.3/progress-updates', { narrative: 'Mapping begun' });
    const correction = await post('/plans/dorset/corrections', {
      correctedEventId: update,
      changes: { narrative: 'Mapping under way' },
      reason: 'Typed from the wrong report',
    });
    await post('/plans/dorset/corrections', {
      correctedEventId: correction,
      changes: { changes: { narrative: 'Mapping started' } },
      reason: 'The October report says started',
    });
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
    const page = (await browser.get('/web/plans/dorset/actions/1.3')).body;
    const row = (eventId: string) =>
      page.slice(page.indexOf(`id="entry-${eventId}"`), page.indexOf('</tr>', page.indexOf(`id="entry-${eventId}"`)));

    // The update reads as recorded, and says what it reads now, linking the correction.
    expect(row(update)).toContain('Mapping begun');
    expect(row(update)).toMatch(
      /Since corrected<\/strong> now reads Update: Mapping started \(<a href="#entry-[^"]+">the correction<\/a>\)/,
    );
    // The correction of the correction says what it changed in words, not as data.
    expect(row(correction)).toContain('Since corrected</strong> now reads Correction: Update: Mapping started (');
    expect(page).toContain('Correction: Update: Mapping under way → Update: Mapping started');
    expect(page).not.toContain('{&quot;');
    expect(page).toContain('Why it was corrected: The October report says started');
  });

  it('shows each deadline revision from the deadline in force before it, and draws it at its corrected new deadline', async () => {
    const { ledger, post } = await dorsetWithManager();
    const first = await post('/plans/dorset/actions/1.3/deadline-revisions', {
      to: { kind: 'date', date: '2018-03' },
      reason: 'Funding bid',
      effectiveOn: '2017-08',
    });
    await post('/plans/dorset/actions/1.3/deadline-revisions', {
      to: { kind: 'date', date: '2018-09' },
      reason: 'Slipped',
      effectiveOn: '2018-02',
    });
    await post('/plans/dorset/corrections', {
      correctedEventId: first,
      changes: { to: { kind: 'date', date: '2018-06' } },
      reason: 'The board agreed June',
    });
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
    const page = (await browser.get('/web/plans/dorset/actions/1.3')).body;
    expect(page).toContain('August 2017: from October 2015 to June 2018');
    expect(page).toContain('February 2018: from June 2018 to September 2018');
    expect(page).toContain('Revised in August 2017 to June 2018');
  });

  it('links a correction and the entry it corrects across the pages of a long history, each to the page that holds the other', async () => {
    const { ledger, post } = await dorsetWithManager();
    const second = [];
    for (let n = 1; n <= 55; n++)
      second.push(await post('/plans/dorset/actions/2.1/progress-updates', { narrative: `Update number ${n}.` }));
    // The second update is on the first page of fifty; its correction, the 57th entry, on the second.
    const correction = await post('/plans/dorset/corrections', {
      correctedEventId: second[1]!,
      changes: { narrative: 'Update number two, as the report said.' },
      reason: 'Typed from the wrong report',
    });
    expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
    const hrefIn = (page: string, eventId: string, words: string) => {
      const row = page.slice(page.indexOf(`id="entry-${eventId}"`), page.indexOf('</tr>', page.indexOf(`id="entry-${eventId}"`)));
      return new RegExp(`href="([^"]+)">${words}`).exec(row)?.[1]?.replaceAll('&amp;', '&');
    };
    const first = (await browser.get('/web/plans/dorset/actions/2.1')).body;
    const toCorrection = hrefIn(first, second[1]!, 'the correction');
    expect(toCorrection).toMatch(new RegExp(`^/web/plans/dorset/actions/2\\.1\\?after=\\d+#entry-${correction}$`));
    const correctionPage = (await browser.get(toCorrection!.split('#')[0]!)).body;
    expect(correctionPage).toContain(`id="entry-${correction}"`);
    const toCorrected = hrefIn(correctionPage, correction, 'the entry recorded');
    expect(toCorrected).toBe(`/web/plans/dorset/actions/2.1#entry-${second[1]}`);
    expect((await browser.get(toCorrected!.split('#')[0]!)).body).toContain(`id="entry-${second[1]}"`);
    // In the order they happened, the links keep that order.
    const effective = (await browser.get('/web/plans/dorset/actions/2.1?order=effective')).body;
    expect(hrefIn(effective, second[1]!, 'the correction')).toMatch(/\?after=\d+&order=effective#entry-/);
  });
});
