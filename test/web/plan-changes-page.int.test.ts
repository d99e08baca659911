import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger, type SecuredLedger } from '../support/access.ts';
import { boardYearOn, sentChangesForm } from './plan-changes-support.ts';
import { browserFor, sentAsIs, type Browser } from './web-support.ts';

const open = useSecuredLedger();
const boardYear = boardYearOn(open);

/** The rows of the "before and after" table of one changed action, as "What: before → after". */
const changedRows = (body: string, ref: string): string[] => {
  const start = body.indexOf(`id="action-${ref}"`);
  expect(start, `action ${ref} is listed as changed`).toBeGreaterThan(0);
  const table = body.slice(body.indexOf('<tbody', start), body.indexOf('</table>', start));
  return [...table.matchAll(/<tr class="nhsuk-table__row">([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)]
      .map((cell) =>
        cell[1]!
          .replace(/<span class="nhsuk-table-responsive__heading"[^>]*>[^<]*<\/span>/g, '')
          .replace(/<[^>]+>/g, '')
          .replace(/\s+/g, ' ')
          .trim(),
      )
      .join(' | '),
  );
};

/** A page that refuses: its status, the error summary linking the field, and not one event written. */
const expectRefused = async (ledger: SecuredLedger, browser: Browser, url: string, status: number, field: string, text: string) => {
  const before = await ledger.store.count();
  const res = await browser.get(url);
  expect(res.statusCode, url).toBe(status);
  const start = res.body.indexOf('class="nhsuk-error-summary"');
  const summary = start < 0 ? '' : res.body.slice(start, res.body.indexOf('</ul>', start));
  expect(summary, url).toContain(`href="#${field}"`);
  expect(summary.replaceAll('&#39;', "'"), url).toContain(text);
  expect(await ledger.store.count()).toBe(before);
  return res;
};

describe("the plan's changes page", () => {
  it('shows the deadline revision, the change of lead, the completion and the assurance recorded between two board dates, before and after', async () => {
    const { browser } = await boardYear();
    const res = await browser.get('/web/plans/dorset/changes?from=2017-03-31&to=2017-06-30');
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    const page = res.body.replaceAll('&#39;', "'").replaceAll('&quot;', '"');
    expect(page).toContain('<h2 class="nhsuk-heading-m">31 March 2017 to 30 June 2017</h2>');
    expect(page).toContain('What the ledger said at the end of 31 March 2017 against what it said at the end of 30 June 2017.');
    // Overdue at the end of March, on track once its deadline was moved to March 2018.
    expect(changedRows(page, '1.3')).toEqual([
      "Ledger's status | Overdue | On track",
      'Deadline in force | October 2015 | March 2018',
      'Deadline revisions | None | 1 revision',
    ]);
    expect(changedRows(page, '2.1')).toEqual([
      'Status recorded | Open | Completed',
      "Ledger's status | Overdue | Completed late",
      'Led by | Dorset Police | Dorset Police, Dorset CCG',
      'Closed | Not closed | Completed 10 April 2017 (recorded by plan-manager of Dorset CCG, 20 April 2017 at 11:00 BST)',
      // 31 March 2016 to 10 April 2017.
      'Completed against the first deadline | None | 375 days late',
      'Completed against the deadline in force | None | 375 days late',
    ]);
    // The action's text beside its reference, linking the action as it stood at `to`.
    expect(page).toContain('<a href="/web/plans/dorset/actions/2.1?asOf=2017-06-30">Action 2.1</a>: Section 136 protocol');
    // The status as its tag, in words and colour.
    expect(page).toContain('<strong class="nhsuk-tag nhsuk-tag--orange">Completed late</strong>');
    const recommendations = page.slice(page.indexOf('Recommendations whose assurance changed</h2>'));
    expect(recommendations).toContain('Awaiting assurance');
    expect(recommendations).toContain('Partially assured by Crisis Care Concordat Board, April 2017');
    // The entries recorded in between, in the history table, each linking the plan's history as it stood then.
    const entries = page.slice(page.indexOf('id="history"'));
    expect(entries).toContain('Entries recorded in between</h2>');
    expect(entries).toContain('4 entries');
    expect(entries).toContain('Deadline of action 1.3 revised from October 2015 to March 2018');
    expect(entries).toMatch(/href="\/web\/plans\/dorset\/history\?asOf=2017-04-20T10%3A00%3A00\.000Z[^"]*#entry-/);
    // Recorded on 1 July, the update is after the window, whatever date it gives.
    expect(page).not.toContain('Typed in July about May');
    expect(page).not.toContain('Actions added</h2>');
  });

  it('compares by the dates things happened: an update recorded later but dated in the window counts, as the ledger knows it now', async () => {
    const { browser } = await boardYear();
    const res = await browser.get('/web/plans/dorset/changes?from=2017-04-30&to=2017-06&clock=effective');
    expect(res.statusCode).toBe(200);
    const page = res.body.replaceAll('&#39;', "'");
    expect(page).toContain('What was true on 30 April 2017 against what was true by the end of June 2017, as the ledger knows it now.');
    expect(page).toMatch(/name="clock" type="radio" value="effective" checked/);
    expect(changedRows(page, '1.3')).toEqual(['Status recorded | Open | In progress', 'Progress updates | None | 1 update']);
    const entries = page.slice(page.indexOf('id="history"'));
    expect(entries).toContain('Entries dated in between</h2>');
    expect(entries).toContain('Typed in July about May');
    expect(entries).not.toContain('Deadline of action 1.3 revised');
    // Before the plan's own date, every action it had by `to` is new.
    const fromBefore = (await browser.get('/web/plans/dorset/changes?from=2015-05&to=2015-06&clock=effective')).body;
    expect(fromBefore).toContain(
      'This plan had not been registered by the end of May 2015, or had been retracted then, so every action it had by the end of June 2015',
    );
    expect(fromBefore).toContain('<a href="/web/plans/dorset/actions/1.3?effectiveOn=2015-06">Action 1.3</a>: Mapping services');
  });

  it('reads a `to` of today, whose end is still to come, as the ledger time now, and names that moment', async () => {
    const { browser } = await boardYear();
    const res = await browser.get('/web/plans/dorset/changes?from=2017-03-31&to=2017-07-01');
    expect(res.statusCode).toBe(200);
    const page = res.body.replaceAll('&#39;', "'");
    expect(page).toContain('<h2 class="nhsuk-heading-m">31 March 2017 to now (1 July 2017 at 11:00:00 BST)</h2>');
    expect(page).toContain('against what it said now (1 July 2017 at 11:00:00 BST)');
    expect(page).toContain('href="/web/plans/dorset?asOf=2017-07-01T10%3A00%3A00.000Z"');
  });

  it('says plainly when nothing changed between the two dates', async () => {
    const { browser } = await boardYear();
    const res = await browser.get('/web/plans/dorset/changes?from=2017-05-01&to=2017-06-30');
    expect(res.statusCode).toBe(200);
    expect(res.body.replaceAll('&#39;', "'")).toContain(
      'Nothing changed in this plan between these dates: neither the plan itself nor any action was changed, no action was ' +
        "added or removed, no recommendation's assurance changed, and no entry was recorded in between.",
    );
    expect(res.body).not.toContain('id="history"');
  });

  it('shows what changed of the plan itself, its owner, before and after', async () => {
    const { browser, post } = await boardYear();
    await post('/owner-changes', { to: 'NHS Dorset', reason: 'The CCG was replaced by the ICB', effectiveOn: '2017-07-01' });
    const res = await browser.get('/web/plans/dorset/changes?from=2017-06-30&to=2017-07-01');
    expect(res.statusCode).toBe(200);
    const start = res.body.indexOf('id="plan-fields"');
    expect(start, 'the table of the plan itself').toBeGreaterThan(0);
    const rows = res.body
      .slice(start, res.body.indexOf('</table>', start))
      .replace(/<span class="nhsuk-table-responsive__heading"[^>]*>[^<]*<\/span>/g, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ');
    expect(rows).toContain('Owner Dorset CCG NHS Dorset');
  });

  it('lists as removed the actions a correction in between moved past the business date it is read at, and the whole plan with its registration', async () => {
    const { ledger, browser, manager } = await boardYear();
    const entries = (await ledger.call(manager, { method: 'GET', url: '/plans/dorset/timeline' })).json().entries as {
      type: string;
      eventId: string;
    }[];
    const correct = async (type: string, correctedEffectiveOn: string) => {
      const payload = { correctedEventId: entries.find((e) => e.type === type)!.eventId, correctedEffectiveOn, reason: 'Wrong date' };
      const res = await ledger.call(manager, { method: 'POST', url: '/plans/dorset/corrections', payload });
      expect(res.statusCode, res.body).toBe(201);
    };
    await correct('PlanRegistered', '2017-05');
    expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
    const before = await ledger.store.count();
    const res = await browser.get('/web/plans/dorset/changes?from=2017-06-30&to=2017-07-01&effectiveOn=2016-06');
    expect(res.statusCode).toBe(200);
    const text = res.body
      .replaceAll('&#39;', "'")
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ');
    expect(text).toContain(
      'As the ledger stood now (1 July 2017 at 11:00:00 BST), this plan had not been registered by the end of June 2016: a correction ' +
        'recorded in between moved the date it was registered to a later one. So every action it had at the end of 30 June 2017 ' +
        'is listed as removed.',
    );
    expect(text).toContain('Actions removed 2');
    expect(text).toContain(
      'In the plan at the end of 30 June 2017, not now (1 July 2017 at 11:00:00 BST): a correction recorded in between moved ' +
        'the date the plan was registered to after June 2016. Action 1.3 : Mapping services Action 2.1 : Section 136 protocol',
    );
    expect(text).toContain('Recommendation R1 Before Awaiting assurance After No longer in the plan');
    // The plan as it stood at `from` is linked, not at `to`, where there is none.
    expect(res.body).toContain('href="/web/plans/dorset?asOf=2017-06-30&amp;effectiveOn=2016-06"');
    expect(res.body).not.toContain('href="/web/plans/dorset?asOf=2017-07-01&amp;effectiveOn=2016-06"');
    // No link of the page leads to a plan, or an action, where there is none: the breadcrumb too reads the plan at `from`.
    const links = [...new Set([...res.body.matchAll(/href="(\/web[^"#]*)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&')))];
    const broken: string[] = [];
    for (const link of links) {
      const followed = await browser.get(link);
      if (followed.statusCode >= 400) broken.push(`${followed.statusCode} ${link}`);
    }
    expect(broken).toEqual([]);
    expect(await ledger.store.count()).toBe(before);
  });

  it('compares a plan there at `to` only, and not at its own clocks, as the API does: every action added', async () => {
    let now = new Date('2017-03-10T10:00:00.000Z');
    const ledger = await open({}, { web: {}, clock: () => now });
    const { manager } = await seedDorsetPlan(ledger);
    const timeline = (await ledger.call(manager, { method: 'GET', url: '/plans/dorset/timeline' })).json();
    const registration = timeline.entries.find((e: { type: string }) => e.type === 'PlanRegistered').eventId as string;
    // Its registration moved past June 2016, back, and past it again.
    for (const [at, to] of [
      ['2017-06-01T10:00:00.000Z', '2017-05'],
      ['2017-06-02T10:00:00.000Z', '2015-06'],
      ['2017-06-03T10:00:00.000Z', '2017-05'],
    ] as const) {
      now = new Date(at);
      const payload = { correctedEventId: registration, correctedEffectiveOn: to, reason: `Registered ${to}` };
      expect((await ledger.call(manager, { method: 'POST', url: '/plans/dorset/corrections', payload })).statusCode).toBe(201);
    }
    now = new Date('2017-07-01T10:00:00.000Z');
    expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
    const window = 'from=2017-06-01&to=2017-06-02&effectiveOn=2016-06';
    const api = await ledger.call(manager, { method: 'GET', url: `/plans/dorset/changes?${window}` });
    expect(api.statusCode).toBe(200);
    expect(api.json()).toMatchObject({
      revisionBefore: null,
      actions: [
        { ref: '1.3', change: 'added' },
        { ref: '2.1', change: 'added' },
      ],
    });
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
    const res = await browser.get(`/web/plans/dorset/changes?${window}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h2 class="nhsuk-heading-m">Actions added</h2>');
    // The plan is linked where it is, at `to`.
    expect(res.body).toContain('href="/web/plans/dorset?asOf=2017-06-02&amp;effectiveOn=2016-06">Dorset');
  });

  it('shows only the form, with what it compares, when no dates are given', async () => {
    const { browser } = await boardYear();
    const res = await browser.get('/web/plans/dorset/changes');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Choose two dates to see what changed in this plan between them.');
    expect(res.body).toMatch(/name="clock" type="radio" value="recorded" checked/);
    expect(res.body).not.toContain('nhsuk-error-summary');
  });

  it('refuses a window the wrong way round, a date after today, an end alone and a date that is not one, with 400 and nothing written', async () => {
    const { ledger, browser } = await boardYear();
    const changes = '/web/plans/dorset/changes';
    const backwards = await expectRefused(
      ledger,
      browser,
      `${changes}?from=2017-06-30&to=2017-03-31`,
      400,
      'from',
      'From (2017-06-30) must not be after to (2017-03-31)',
    );
    // The dates as typed, to be put right.
    expect(backwards.body).toMatch(/id="from" name="from" type="text" value="2017-06-30"/);
    // By the dates things happened a month is read at its last day: a month after a day within it says so.
    await expectRefused(
      ledger,
      browser,
      `${changes}?from=2017-03&to=2017-03-15&clock=effective`,
      400,
      'from',
      'From (2017-03, read as its last day, 2017-03-31) must not be after to (2017-03-15)',
    );
    await expectRefused(ledger, browser, `${changes}?from=2017-03-31&to=2017-07-02`, 400, 'to', 'To must be today or earlier');
    await expectRefused(ledger, browser, `${changes}?from=2017-03&to=2017-08&clock=effective`, 400, 'to', 'To must be today or earlier');
    // A from still to come within the month to names is from's to put right, as the API names it.
    await expectRefused(
      ledger,
      browser,
      `${changes}?from=2017-07-02&to=2017-07&clock=effective`,
      400,
      'from',
      'From must be today or earlier',
    );
    await expectRefused(ledger, browser, `${changes}?from=2017-03-31`, 400, 'to', 'Enter to as well as from');
    await expectRefused(ledger, browser, `${changes}?from=2017-02-31&to=2017-03-31`, 400, 'from', 'From must be a real date');
    await expectRefused(ledger, browser, `${changes}?from=2017-03&to=2017-06`, 400, 'from', 'From must be a day, such as 2017-03-01');
    await expectRefused(ledger, browser, `${changes}?from=2017-03-31&to=2017-06-30&clock=sideways`, 400, 'clock', 'Choose how to compare');
    await expectRefused(ledger, browser, `${changes}?from=2017-03-31&from=2017-04-01&to=2017-06-30`, 400, 'from', 'Enter one from date');
    // The page's own other clock where it does not go with the one compared on, as the API refuses it.
    await expectRefused(
      ledger,
      browser,
      `${changes}?from=2017-03-31&to=2017-06-30&asOf=2017-05-01`,
      400,
      'asOf',
      'As the ledger recorded it',
    );
    await expectRefused(
      ledger,
      browser,
      `${changes}?from=2017-03-31&to=2017-06-30&effectiveOn=2017-07`,
      400,
      'effectiveOn',
      'What was true on must not be after from',
    );
  });

  it("keeps the page's own date that goes with the way of comparing chosen in the form, and sets the other aside", async () => {
    const { ledger, browser } = await boardYear();
    const before = await ledger.store.count();
    /** The form sent from the page at `pageQuery`: the address it leads to, and the page there. */
    const compare = async (pageQuery: string, typed: Parameters<typeof sentChangesForm>[1]) => {
      const form = await browser.get(`/web/plans/dorset/changes?${pageQuery}`);
      expect(form.statusCode).toBe(200);
      const sent = await browser.get(sentChangesForm(form.body, typed));
      expect(sent.statusCode, sent.body.slice(0, 300)).toBe(303);
      const location = String(sent.headers.location);
      const shown = await browser.get(location);
      expect(shown.statusCode, shown.body.slice(0, 500)).toBe(200);
      expect(shown.body).not.toContain('nhsuk-error-summary');
      return { location, page: shown.body.replaceAll('&#39;', "'") };
    };

    // Read at a business date: compared by the dates things happened, from and to say what was true when.
    const byDates = await compare('effectiveOn=2017-03', { from: '2017-04-30', to: '2017-06', clock: 'effective' });
    expect(byDates.location).toBe('/web/plans/dorset/changes?from=2017-04-30&to=2017-06&clock=effective');
    expect(byDates.page).toContain(
      'What was true on 30 April 2017 against what was true by the end of June 2017, as the ledger knows it now.',
    );
    // Compared as the ledger recorded it, each end is read at that business date.
    const recorded = await compare('effectiveOn=2017-03', { from: '2017-04-30', to: '2017-06-30', clock: 'recorded' });
    expect(recorded.location).toBe('/web/plans/dorset/changes?effectiveOn=2017-03&from=2017-04-30&to=2017-06-30&clock=recorded');
    expect(recorded.page).toContain(
      'What the ledger said at the end of 30 April 2017 against what it said at the end of 30 June 2017, each of what was true by the end of March 2017.',
    );

    // Read as the ledger stood at an earlier date: by the dates things happened, as the ledger knew it then.
    const knownThen = await compare('asOf=2017-06-01', { from: '2017-04-30', to: '2017-05', clock: 'effective' });
    expect(knownThen.location).toBe('/web/plans/dorset/changes?asOf=2017-06-01&from=2017-04-30&to=2017-05&clock=effective');
    expect(knownThen.page).toContain('as the ledger knew it at the end of 1 June 2017.');
    // Recorded later, the update dated May was not known then.
    expect(knownThen.page).not.toContain('Typed in July about May');
    // As the ledger recorded it, from and to are themselves times of the ledger.
    const ledgerTimes = await compare('asOf=2017-06-01', { from: '2017-03-31', to: '2017-06-30', clock: 'recorded' });
    expect(ledgerTimes.location).toBe('/web/plans/dorset/changes?from=2017-03-31&to=2017-06-30&clock=recorded');
    expect(ledgerTimes.page).toContain('What the ledger said at the end of 31 March 2017 against what it said at the end of 30 June 2017.');

    // Both of the page's dates: only the one that goes with the way chosen is kept.
    const both = await compare('asOf=2017-06-01&effectiveOn=2017-03', { from: '2017-04-30', to: '2017-05-31', clock: 'recorded' });
    expect(both.location).toBe('/web/plans/dorset/changes?effectiveOn=2017-03&from=2017-04-30&to=2017-05-31&clock=recorded');
    expect(await ledger.store.count()).toBe(before);
  });

  it("shows a comparison form to put right still carrying both of the page's dates, so choosing the other way then keeps the other", async () => {
    const { ledger, browser } = await boardYear();
    const before = await ledger.store.count();
    const page = await browser.get('/web/plans/dorset/changes?asOf=2017-06-01&effectiveOn=2017-03');
    // To left out: nothing to compare, so nothing is set aside yet.
    const unfinished = await browser.get(sentChangesForm(page.body, { from: '2017-04-30', to: '', clock: 'effective' }));
    expect(unfinished.statusCode).toBe(400);
    expect(unfinished.body).toContain('Enter to as well as from');
    // Compared the other way from there, the ledger clock keeps the page's business date.
    const sent = await browser.get(sentChangesForm(unfinished.body, { from: '2017-04-30', to: '2017-05-31', clock: 'recorded' }));
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe('/web/plans/dorset/changes?effectiveOn=2017-03&from=2017-04-30&to=2017-05-31&clock=recorded');
    expect(await ledger.store.count()).toBe(before);
  });

  it("shows a comparison form the ledger refuses (a window the wrong way round, a date after today) still carrying both of the page's dates", async () => {
    const { ledger, browser } = await boardYear();
    const before = await ledger.store.count();
    const page = await browser.get('/web/plans/dorset/changes?asOf=2017-06-01&effectiveOn=2017-03');
    for (const typed of [
      { from: '2017-05-31', to: '2017-04-30', clock: 'recorded' as const },
      { from: '2017-05', to: '2017-04', clock: 'effective' as const },
      { from: '2017-04', to: '2018-01', clock: 'effective' as const },
    ]) {
      const refused = await browser.get(sentChangesForm(page.body, typed));
      expect(refused.statusCode, JSON.stringify(typed)).toBe(400);
      expect(refused.body).toContain('nhsuk-error-summary');
      // Put right and compared the other way, the date that goes with that way is still there.
      const other = typed.clock === 'recorded' ? 'effective' : 'recorded';
      const sent = await browser.get(sentChangesForm(refused.body, { from: '2017-04-30', to: '2017-05-31', clock: other }));
      expect(sent.statusCode).toBe(303);
      expect(sent.headers.location).toBe(
        other === 'recorded'
          ? '/web/plans/dorset/changes?effectiveOn=2017-03&from=2017-04-30&to=2017-05-31&clock=recorded'
          : '/web/plans/dorset/changes?asOf=2017-06-01&from=2017-04-30&to=2017-05-31&clock=effective',
      );
    }
    expect(await ledger.store.count()).toBe(before);
  });

  it("shows a comparison form whose `to` is before the plan was registered still carrying both of the page's dates", async () => {
    const { ledger, browser } = await boardYear();
    const before = await ledger.store.count();
    // A business date no later than from, so that the ledger clock takes it: only `to` is to put right.
    const page = await browser.get('/web/plans/dorset/changes?asOf=2017-06-01&effectiveOn=2016-12');
    const early = await browser.get(sentChangesForm(page.body, { from: '2017-01-01', to: '2017-02-01', clock: 'recorded' }));
    expect(early.statusCode).toBe(404);
    expect(early.body).toMatch(
      /<a href="#to">\s*No plan with this name had been registered by the end of December 2016, as the ledger knew it at the end of 1 February 2017\.\s*<\/a>/,
    );
    // Compared the other way from there, the ledger date the page was read at is still there.
    const sent = await browser.get(sentChangesForm(early.body, { from: '2017-04-30', to: '2017-05-31', clock: 'effective' }));
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe('/web/plans/dorset/changes?asOf=2017-06-01&from=2017-04-30&to=2017-05-31&clock=effective');
    expect(await ledger.store.count()).toBe(before);
  });

  it('shows a comparison form by the dates things happened whose `to` is before the plan was registered again, as its address answers', async () => {
    const { ledger, browser } = await boardYear();
    const before = await ledger.store.count();
    const page = await browser.get('/web/plans/dorset/changes?asOf=2017-06-01&effectiveOn=2016-12');
    expect(page.statusCode).toBe(200);
    const reason =
      /<a href="#to">\s*No plan with this name had been registered by the end of March 2015, as the ledger knew it at the end of 1 June 2017\.\s*<\/a>/;
    const early = await browser.get(sentChangesForm(page.body, { from: '2014-01', to: '2015-03', clock: 'effective' }));
    expect(early.statusCode).toBe(404);
    expect(early.body).toMatch(reason);
    expect(early.body).toContain('<input type="hidden" name="asOf" value="2017-06-01">');
    expect(early.body).toContain('<input type="hidden" name="effectiveOn" value="2016-12">');
    // The address the form would have been sent to answers the same.
    const typed = await browser.get('/web/plans/dorset/changes?asOf=2017-06-01&from=2014-01&to=2015-03&clock=effective');
    expect(typed.statusCode).toBe(404);
    expect(typed.body).toMatch(reason);
    // A `to` after the registration is sent on, and compares there.
    const sent = await browser.get(sentChangesForm(page.body, { from: '2014-01', to: '2015-06', clock: 'effective' }));
    expect(sent.statusCode).toBe(303);
    expect((await browser.get(sent.headers.location as string)).statusCode).toBe(200);
    expect(await ledger.store.count()).toBe(before);
  });

  it('answers a comparison form sent for no plan at all with the page for no such plan, not the form', async () => {
    const { browser } = await boardYear();
    const query = 'pageClocks=1&asOf=2017-06-01&effectiveOn=2016-12&from=2017-01-01&to=2017-02-01&clock=recorded';
    const res = await browser.get(`/web/plans/nowhere/changes?${query}`);
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('name="pageClocks"');
    expect(res.body).not.toContain('href="#to"');
  });

  it("sends the form's address back to this plan's own changes page only, whatever else the path it came on holds", async () => {
    const { ledger, browser } = await boardYear();
    const base = await ledger.app.listen({ port: 0, host: '127.0.0.1' });
    const sent = (path: string) => sentAsIs(base, path, browser.jar.header());
    const form = 'pageClocks=kept-where-they-fit&asOf=2017-06-01&from=2017-04-30&to=2017-05&clock=effective';
    const own = await sent(`/web/plans/dorset/changes?${form}`);
    expect(own.status).toBe(303);
    expect(own.location).toBe('/web/plans/dorset/changes?asOf=2017-06-01&from=2017-04-30&to=2017-05&clock=effective');
    for (const path of [
      // Read as a URL, backslashes are slashes and the dots climb out of /web: "//evil.example/changes" is another site.
      `/web/plans/a\\..\\..\\..\\\\evil.example/changes?${form}`,
      // Dot segments read as a URL: another page.
      `/web/plans/%2e%2e/changes?${form}`,
      `/web/plans/%2e/changes?${form}`,
    ]) {
      const res = await sent(path);
      if (res.status === 303) expect(res.location, path).toMatch(/^\/web\/plans\/[a-z0-9-]+\/changes\?/);
      else expect(res.status, path).toBe(404);
    }
  });

  it('answers 404 for a plan not yet registered at `to` with the form to choose again, and for no plan at all, writing nothing', async () => {
    const { ledger, browser } = await boardYear();
    const before = await ledger.store.count();
    const early = await browser.get('/web/plans/dorset/changes?from=2017-01-01&to=2017-02-01');
    expect(early.statusCode).toBe(404);
    expect(early.body).toContain('No plan with this name had been recorded by the end of 1 February 2017.');
    // The reason is the date to choose again: linked from the summary to `to`, which keeps what was typed.
    expect(early.body).toMatch(/<a href="#to">\s*No plan with this name had been recorded by the end of 1 February 2017\.\s*<\/a>/);
    expect(early.body).toMatch(/<input[^>]*id="to"[^>]*value="2017-02-01"/);
    const later = await browser.get(sentChangesForm(early.body, { from: '2017-03-31', to: '2017-06-30', clock: 'recorded' }));
    expect(later.statusCode).toBe(200);
    expect(later.body).toContain('<h2 class="nhsuk-heading-m">31 March 2017 to 30 June 2017</h2>');
    const earlyByDate = await browser.get('/web/plans/dorset/changes?from=2014-01&to=2014-02&clock=effective');
    expect(earlyByDate.statusCode).toBe(404);
    expect(earlyByDate.body).toMatch(/<a href="#to">\s*No plan with this name had been registered by the end of February 2014\.\s*<\/a>/);
    const none = await browser.get('/web/plans/nowhere/changes?from=2017-03-31&to=2017-06-30');
    expect(none.statusCode).toBe(404);
    expect(none.body).toContain('No plan has this name.');
    expect(await ledger.store.count()).toBe(before);
  });

  it('answers 410 for a plan retracted by `to`, linking the plan as it stood before, and compares a window before the retraction', async () => {
    const { ledger, browser, post } = await boardYear();
    await post('/retraction', { reason: 'Imported from the wrong file' });
    expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
    const before = await ledger.store.count();
    const retracted = await browser.get('/web/plans/dorset/changes?from=2017-03-31&to=2017-07-01');
    expect(retracted.statusCode).toBe(410);
    expect(retracted.body).toContain('Dorset Crisis Care Concordat action plan was retracted');
    expect(retracted.body).toContain('giving the reason: Imported from the wrong file');
    expect(retracted.body).toMatch(/href="\/web\/plans\/dorset\?asOf=2017-07-01T09%3A59%3A59\.999Z"/);
    expect(await ledger.store.count()).toBe(before);
    // As the API answers, a window that ends before the retraction still compares.
    expect((await browser.get('/web/plans/dorset/changes?from=2017-03-31&to=2017-06-30')).statusCode).toBe(200);
  });

  it("records an auditor's read of the plan's changes in the access log, as the API's read of them is", async () => {
    const { ledger, browser } = await boardYear('auditor');
    await browser.get('/web/plans/dorset/changes?from=2017-03-31&to=2017-06-30');
    const logged = (await ledger.access.log.query({ limit: 100 })).entries.filter((e) => e.route.startsWith('/web/'));
    expect(logged.map((e) => `${e.role} ${e.route} ${e.planId} ${e.status} ${e.path}`)).toEqual([
      'auditor /web/plans/:planId/changes dorset 200 /web/plans/dorset/changes?from=2017-03-31&to=2017-06-30',
    ]);
  });

  it('is linked from the plan page and the plan history page, at the clocks they are read at', async () => {
    const { browser } = await boardYear();
    for (const url of ['/web/plans/dorset', '/web/plans/dorset/history'])
      expect((await browser.get(url)).body, url).toContain(
        '<a href="/web/plans/dorset/changes">What changed in this plan between two dates</a>',
      );
    expect((await browser.get('/web/plans/dorset?effectiveOn=2017-05')).body).toContain(
      '<a href="/web/plans/dorset/changes?effectiveOn=2017-05">What changed in this plan between two dates</a>',
    );
  });
});
