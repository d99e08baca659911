import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor, csrfOf, hiddenFieldsOf } from './web-support.ts';

const open = useSecuredLedger();
const openWeb = async () => {
  const ledger = await open({}, { web: {} });
  await seedDorsetPlan(ledger);
  return ledger;
};
const form = '/web/plans/dorset/actions/1.3/progress-update';

describe('recording through the forms', () => {
  it('records a progress update through the command path and shows it in the action history', async () => {
    const ledger = await openWeb();
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('contributor', 'Dorset CCG'));
    const page = await browser.get(form);
    expect(page.statusCode).toBe(200);
    const before = await ledger.store.count();
    const res = await browser.submit(form, form, {
      ...hiddenFieldsOf(page.body),
      narrative: 'AUG 2017 The website is live',
      rating: 'Green',
      'effectiveOn-day': '',
      'effectiveOn-month': '8',
      'effectiveOn-year': '2017',
    });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(303);
    expect(res.headers.location).toMatch(/^\/web\/plans\/dorset\/actions\/1\.3\?recorded=progress-update&shown=\d+#history$/);
    expect(await ledger.store.count()).toBe(before + 1);
    const history = await browser.get('/web/plans/dorset/actions/1.3?recorded=progress-update');
    expect(history.body).toContain('AUG 2017 The website is live');
    expect(history.body).toContain('August 2017');
    expect(history.body).toContain('contributor of Dorset CCG');
  });

  it('shows the NHS.UK error summary for bad input and writes nothing', async () => {
    const ledger = await openWeb();
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('plan-manager', 'Dorset CCG'));
    const before = await ledger.store.count();
    const page = await browser.get(form);
    const empty = await browser.submit(form, form, { ...hiddenFieldsOf(page.body), narrative: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('nhsuk-error-summary');
    expect(empty.body).toContain('Enter what was done');
    expect(empty.body).toContain('<title>Error: ');
    const badDate = await browser.submit(form, form, {
      ...hiddenFieldsOf(page.body),
      narrative: 'x',
      'effectiveOn-month': '13',
      'effectiveOn-year': '2017',
    });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.body).toContain('must be a real date');
    const future = await browser.submit(form, form, {
      ...hiddenFieldsOf(page.body),
      narrative: 'x',
      'effectiveOn-month': '1',
      'effectiveOn-year': '2999',
    });
    expect(future.statusCode).toBe(422);
    expect(future.body).toContain('nhsuk-error-summary');
    const deadline = '/web/plans/dorset/actions/1.3/deadline-revision';
    const revisionPage = await browser.get(deadline);
    const same = await browser.submit(deadline, deadline, {
      ...hiddenFieldsOf(revisionPage.body),
      'to-month': '10',
      'to-year': '2015',
      reason: 'No change',
    });
    expect(same.statusCode).toBe(409);
    expect(same.body).toMatch(/deadline/i);
    // A required field left empty is asked for in words, not by its label ("Enter new deadline", "Enter reason").
    const blank = await browser.submit(deadline, deadline, { ...hiddenFieldsOf(revisionPage.body) });
    expect(blank.statusCode).toBe(400);
    expect(blank.body).toContain('Enter the new deadline');
    expect(blank.body).toContain('Enter why the deadline moved');
    const completion = '/web/plans/dorset/actions/1.3/completion';
    const undated = await browser.submit(completion, completion, { ...hiddenFieldsOf((await browser.get(completion)).body) });
    expect(undated.statusCode).toBe(400);
    expect(undated.body).toContain('Enter the date the action was completed');
    expect(await ledger.store.count()).toBe(before);
  });

  it('refuses a forged CSRF token, a form from another session, and a stale plan revision, writing nothing', async () => {
    const ledger = await openWeb();
    const browser = browserFor(ledger);
    const key = await ledger.keyFor('plan-manager', 'Dorset CCG');
    await browser.signIn(key);
    const page = await browser.get(form);
    const before = await ledger.store.count();
    const fields = { ...hiddenFieldsOf(page.body), narrative: 'Forged' };
    const forged = await browser.submit(form, form, fields, { csrf: 'forged-token' });
    expect(forged.statusCode).toBe(403);
    expect(forged.body).toContain('This form has expired');
    // A token shown in one session is worthless in the next.
    const oldToken = csrfOf(page.body);
    await browser.signOut();
    await browser.signIn(key);
    const replayed = await browser.submit(form, form, fields, { csrf: oldToken });
    expect(replayed.statusCode).toBe(403);
    // Someone else records meanwhile: the form's revision is stale.
    await ledger.call(key, { method: 'POST', url: '/plans/dorset/actions/2.1/progress-updates', payload: { narrative: 'Meanwhile' } });
    const afterOther = await ledger.store.count();
    const stale = await browser.submit(form, form, { ...fields, narrative: 'Mine' });
    expect(stale.statusCode).toBe(412);
    expect(stale.body).toContain('This plan changed since you opened this form');
    expect(await ledger.store.count()).toBe(afterOther);
    expect(afterOther).toBe(before + 1);
    // Sent again from the re-shown form, which now carries the current revision, it is recorded.
    const again = await browser.submit(form, form, { ...hiddenFieldsOf(stale.body), narrative: 'Mine' }, { csrf: csrfOf(stale.body) });
    expect(again.statusCode).toBe(303);
    expect(await ledger.store.count()).toBe(afterOther + 1);
  });

  it('records once when the same form is sent twice', async () => {
    const ledger = await openWeb();
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('plan-manager', 'Dorset CCG'));
    const page = await browser.get(form);
    const fields = { ...hiddenFieldsOf(page.body), narrative: 'Pressed twice' };
    const before = await ledger.store.count();
    expect((await browser.submit(form, form, fields)).statusCode).toBe(303);
    expect((await browser.submit(form, form, fields)).statusCode).toBe(303);
    expect(await ledger.store.count()).toBe(before + 1);
  });

  it("refuses a contributor on another organisation's action with the API's reason, even when sent from another form, and a viewer the form itself", async () => {
    const ledger = await openWeb();
    const police = browserFor(ledger);
    await police.signIn(await ledger.keyFor('contributor', 'Dorset Police'));
    expect((await police.get(form)).statusCode).toBe(403);
    // Sent anyway (a form kept open across a change of leads, say): the command path refuses it, in the API's words.
    const ours = '/web/plans/dorset/actions/2.1/progress-update';
    const page = await police.get(ours);
    const before = await ledger.store.count();
    const res = await police.submit(ours, form, { ...hiddenFieldsOf(page.body), narrative: 'Not ours' });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('nhsuk-error-summary');
    expect(await ledger.store.count()).toBe(before);
    const viewer = browserFor(ledger);
    await viewer.signIn(await ledger.keyFor('viewer'));
    const refused = await viewer.get(form);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('You cannot see this page');
  });

  it('records a correction of an entry, shown as a correction in the history', async () => {
    const ledger = await openWeb();
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('plan-manager', 'Dorset CCG'));
    const history = await browser.get('/web/plans/dorset/actions/1.3');
    const link = /href="(\/web\/plans\/dorset\/corrections\/new\?eventId=[^"]+)"/.exec(history.body)![1]!;
    const page = await browser.get(link);
    expect(page.statusCode).toBe(200);
    const eventId = /name="eventId" value="([^"]+)"/.exec(page.body)![1]!;
    const nothing = await browser.submit(link, link, {
      ...hiddenFieldsOf(page.body),
      eventId,
      text: 'Mapping services',
      correctionReason: 'No change',
    });
    expect(nothing.statusCode).toBe(400);
    expect(nothing.body).toContain('Change at least one value');
    const res = await browser.submit(link, link, {
      ...hiddenFieldsOf(page.body),
      eventId,
      text: 'Mapping services across Dorset',
      correctionReason: 'Typo in the plan',
    });
    expect(res.statusCode, res.body.slice(0, 400)).toBe(303);
    const after = await browser.get('/web/plans/dorset/actions/1.3');
    expect(after.body).toContain('Correction');
    expect(after.body).toContain('Typo in the plan');
    expect(after.body).toContain('Mapping services across Dorset');
  });

  it("leads from the plan page's 'Correct an earlier entry' to each action's history, where entries are corrected", async () => {
    const ledger = await openWeb();
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('plan-manager', 'Dorset CCG'));
    const plan = await browser.get('/web/plans/dorset');
    expect(plan.body).toContain('href="/web/plans/dorset/corrections/new"');
    const choose = await browser.get('/web/plans/dorset/corrections/new');
    expect(choose.statusCode).toBe(200);
    expect(choose.body).toContain('Choose an entry to correct');
    for (const ref of ['1.3', '2.1']) expect(choose.body).toContain(`href="/web/plans/dorset/actions/${ref}#history"`);
    expect((await browser.get('/web/plans/dorset/corrections/new?eventId=nothing')).statusCode).toBe(404);
    expect((await browser.get('/web/plans/nowhere/corrections/new')).statusCode).toBe(404);
  });

  it("offers the plan's own entries for correction on the chooser page, and corrects a recommendation's text", async () => {
    const ledger = await openWeb();
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('plan-manager', 'Dorset CCG'));
    const choose = await browser.get('/web/plans/dorset/corrections/new');
    const links = [...choose.body.matchAll(/href="(\/web\/plans\/dorset\/corrections\/new\?eventId=[^"]+)"/g)].map((m) => m[1]!);
    // The registration and the recommendation: the actions' entries are offered on their histories.
    expect(links).toHaveLength(2);
    const recommendation = links[1]!;
    const page = await browser.get(recommendation);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Improve information about services');
    const before = await ledger.store.count();
    const res = await browser.submit(recommendation, recommendation, {
      ...hiddenFieldsOf(page.body),
      eventId: /name="eventId" value="([^"]+)"/.exec(page.body)![1]!,
      text: 'Improve information about crisis services',
      correctionReason: 'The recommendation names crisis services',
    });
    expect(res.statusCode, res.body.slice(0, 400)).toBe(303);
    expect(res.headers.location).toBe('/web/plans/dorset');
    expect(await ledger.store.count()).toBe(before + 1);
    const plan = await ledger.call(await ledger.keyFor('viewer', 'Dorset CCG'), { method: 'GET', url: '/plans/dorset' });
    expect(plan.json().recommendations[0].text).toBe('Improve information about crisis services');
    // A correction is not offered for correction here; the entry it corrected says it was corrected.
    const again = await browser.get('/web/plans/dorset/corrections/new');
    expect([...again.body.matchAll(/corrections\/new\?eventId=/g)]).toHaveLength(2);
    expect([...again.body.matchAll(/>Corrected</g)]).toHaveLength(1);
    expect(choose.body).not.toContain('>Corrected<');
  });

  it("offers the plan's own entries a page at a time, each page following on from the last and linking back to it", async () => {
    const ledger = await openWeb();
    const manager = await ledger.keyFor('plan-manager', 'Dorset CCG');
    for (let i = 2; i <= 60; i++) {
      const res = await ledger.call(manager, {
        method: 'POST',
        url: '/plans/dorset/recommendations',
        payload: { ref: `R${i}`, text: `Recommendation ${i}`, addressedTo: ['Dorset HealthCare'], effectiveOn: '2015-07' },
      });
      expect(res.statusCode).toBe(201);
    }
    const browser = browserFor(ledger);
    await browser.signIn(manager);
    const linksOf = (html: string) => [...html.matchAll(/corrections\/new\?eventId=([^"]+)"/g)].map((m) => m[1]!);
    const first = await browser.get('/web/plans/dorset/corrections/new');
    expect(first.body).toContain('Entries 1 to 50 of 61.');
    expect(linksOf(first.body)).toHaveLength(50);
    const next = /href="(\/web\/plans\/dorset\/corrections\/new\?after=\d+)"/.exec(first.body)![1]!;
    const second = await browser.get(next);
    expect(second.statusCode).toBe(200);
    expect(second.body).toContain('Entries 51 to 61 of 61.');
    expect(second.body).toContain('Recommendation 60');
    expect(second.body).not.toContain('corrections/new?after=');
    // And back: the second page links the first, which links no page before it.
    expect(/href="([^"]+)" rel="prev"/.exec(second.body)?.[1]).toBe('/web/plans/dorset/corrections/new');
    expect(first.body).not.toContain('Earlier entries');
    // Every entry once across the pages: the registration and 60 recommendations.
    expect(new Set([...linksOf(first.body), ...linksOf(second.body)]).size).toBe(61);
    // A cursor that names no entry shows the first page.
    expect(linksOf((await browser.get('/web/plans/dorset/corrections/new?after=999999')).body)).toEqual(linksOf(first.body));
  });

  it('offers a form only on its present-day page: asked for at an earlier date, it redirects there', async () => {
    const ledger = await openWeb();
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('contributor', 'Dorset CCG'));
    const present = (url: string) => url.replace(/[?&](asOf|effectiveOn)=[^&]*/g, '').replace(/^([^?]*)&/, '$1?');
    for (const url of [
      `${form}?asOf=2015-01-01`,
      `${form}?effectiveOn=2015-09&asOf=2020-01-01`,
      '/web/imports?effectiveOn=2015-09',
      '/web/imports?asOf=2020-02-31', // whatever the dates: a refused one too
      '/web/plans/dorset/corrections/new?asOf=2015-01-01&eventId=e1', // other parameters are kept
    ]) {
      const res = await browser.get(url);
      expect(res.statusCode, url).toBe(303);
      expect(res.headers.location, url).toBe(present(url));
    }
    expect(present('/web/plans/dorset/corrections/new?asOf=2015-01-01&eventId=e1')).toBe('/web/plans/dorset/corrections/new?eventId=e1');
    const today = await browser.get(form);
    expect(today.statusCode).toBe(200);
    expect(today.body).not.toContain('You are looking at the past');
  });

  it('at a date a corrected entry no longer reaches, shows the correction naming that entry without linking to a row not shown', async () => {
    const ledger = await openWeb();
    const manager = await ledger.keyFor('plan-manager', 'Dorset CCG');
    const update = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/actions/1.3/progress-updates',
      payload: { narrative: 'Mapping begun', effectiveOn: '2015-08' },
    });
    expect(update.statusCode, update.body).toBe(201);
    const updateId = update.json().eventIds[0] as string;
    const corrected = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/corrections',
      payload: { correctedEventId: updateId, correctedEffectiveOn: '2015-10', reason: 'Given at the October board' },
    });
    expect(corrected.statusCode, corrected.body).toBe(201);
    await ledger.ledger.checkpointNow();
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('viewer'));
    const before = await browser.get('/web/plans/dorset/actions/1.3?effectiveOn=2015-09');
    expect(before.statusCode).toBe(200);
    expect(before.body).toContain('Given at the October board');
    expect(before.body).toContain('not in effect by this date');
    expect(before.body).not.toContain(`id="entry-${updateId}"`);
    expect(before.body).not.toContain(`href="#entry-${updateId}"`);
    const after = await browser.get('/web/plans/dorset/actions/1.3?effectiveOn=2015-10');
    expect(after.body).toContain(`href="#entry-${updateId}"`);
    expect(after.body).toContain(`id="entry-${updateId}"`);
  });

  it("corrects a completion's date in one field, which moves the date it counts from on the business clock too; a correction's form asks no date", async () => {
    const ledger = await openWeb();
    const manager = await ledger.keyFor('plan-manager', 'Dorset CCG');
    const completed = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/actions/1.3/completion',
      payload: { completedOn: '2016-03' },
    });
    expect(completed.statusCode, completed.body).toBe(201);
    const completionId = completed.json().eventIds[0] as string;
    const browser = browserFor(ledger);
    await browser.signIn(manager);
    const link = `/web/plans/dorset/corrections/new?eventId=${completionId}`;
    const page = await browser.get(link);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Completed on');
    expect(page.body).not.toContain('When it really happened');
    const res = await browser.submit(link, link, {
      ...hiddenFieldsOf(page.body),
      eventId: completionId,
      completedOn: '2016-04',
      correctionReason: 'Signed off in April',
    });
    expect(res.statusCode, res.body.slice(0, 400)).toBe(303);
    await ledger.ledger.checkpointNow();
    const viewer = await ledger.keyFor('viewer', 'Dorset CCG');
    const statusAt = async (effectiveOn: string) =>
      (await ledger.call(viewer, { method: 'GET', url: `/plans/dorset?effectiveOn=${effectiveOn}` }))
        .json()
        .actions.find((a: { ref: string }) => a.ref === '1.3').status;
    expect(await statusAt('2016-03')).not.toBe('completed');
    expect(await statusAt('2016-04')).toBe('completed');
    // A correction's own date is never corrected: its form does not ask for one.
    const history = (await ledger.call(viewer, { method: 'GET', url: '/plans/dorset/actions/1.3/timeline' })).json().entries as {
      type: string;
      eventId: string;
    }[];
    const correctionId = history.find((e) => e.type === 'EntryCorrected')!.eventId;
    const correctionForm = await browser.get(`/web/plans/dorset/corrections/new?eventId=${correctionId}`);
    expect(correctionForm.statusCode).toBe(200);
    expect(correctionForm.body).not.toContain('When it really happened');
  });
});
