import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor, dorsetSignedIn } from './web-support.ts';

const open = useSecuredLedger();

/** Every form an open action's page offers a plan manager of the plan, in the order it lists them. */
const EVERY_FORM = ['progress-update', 'evidence', 'evidence-files', 'deadline-revision', 'completion'];

/** The action page's "Record" links: which forms it offers. */
const offered = (html: string) => [...html.matchAll(/<li><a href="\/web\/plans\/dorset\/actions\/[\d.]+\/([\w-]+)">/g)].map((m) => m[1]);

describe('the forms an action page offers', () => {
  it('offers only evidence on a closed action, and says why; its other forms say so before anything is typed', async () => {
    const ledger = await open({}, { web: {} });
    const { manager } = await seedDorsetPlan(ledger);
    const browser = browserFor(ledger);
    await browser.signIn(manager);
    expect(offered((await browser.get('/web/plans/dorset/actions/1.3')).body)).toEqual(EVERY_FORM);
    const completed = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/actions/1.3/completion',
      payload: { completedOn: '2016-01' },
    });
    expect(completed.statusCode).toBe(201);
    // The pages read the views: wait until they hold the completion.
    const caughtUp = await ledger.call(manager, { method: 'GET', url: `/plans/dorset?minPosition=${completed.json().position}` });
    expect(caughtUp.statusCode).toBe(200);
    const page = (await browser.get('/web/plans/dorset/actions/1.3')).body;
    expect(offered(page)).toEqual(['evidence', 'evidence-files']);
    expect(page).toContain('This action is completed: the ledger takes no progress update');
    for (const form of ['progress-update', 'deadline-revision', 'completion']) {
      const res = await browser.get(`/web/plans/dorset/actions/1.3/${form}`);
      expect(res.statusCode, form).toBe(409);
      expect(res.body).toContain('Action 1.3 is completed');
    }
    expect((await browser.get('/web/plans/dorset/actions/1.3/evidence')).statusCode).toBe(200);
  });

  it("offers a contributor nothing on another organisation's action, even by the form's address, and no plan manager's form on its own", async () => {
    const { browser } = await dorsetSignedIn(open, 'contributor', 'Dorset Police');
    const theirs = (await browser.get('/web/plans/dorset/actions/1.3')).body;
    expect(offered(theirs)).toEqual([]);
    expect(theirs).toContain('Your organisation neither leads nor partners this action');
    const opened = await browser.get('/web/plans/dorset/actions/1.3/progress-update');
    expect(opened.statusCode).toBe(403);
    expect(opened.body).toContain('Dorset Police neither leads nor partners action 1.3, so you cannot record on it.');
    const file = await browser.get('/web/plans/dorset/actions/1.3/evidence-files');
    expect(file.statusCode).toBe(403);
    expect(file.body).toContain('Dorset Police neither leads nor partners action 1.3, so you cannot record on it.');
    expect(offered((await browser.get('/web/plans/dorset/actions/2.1')).body)).toEqual(['progress-update', 'evidence', 'evidence-files']);
    const managers = await browser.get('/web/plans/dorset/actions/2.1/deadline-revision');
    expect(managers.statusCode).toBe(403);
    expect(managers.body).toContain('Revise the deadline is for the plan-manager role.');
  });
});

describe("the forms a plan's pages offer a plan manager", () => {
  it('offers a plan manager whose organisation the plan does not name no form of it, even by the address, and writes nothing', async () => {
    const ledger = await open({}, { web: {} });
    await seedDorsetPlan(ledger);
    const entry = (await ledger.store.readStream('plan-dorset', { limit: 1 })[Symbol.asyncIterator]().next()).value as { eventId: string };
    const before = await ledger.store.count();
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('plan-manager', 'Wiltshire Council'));
    const action = (await browser.get('/web/plans/dorset/actions/1.3')).body;
    expect(offered(action)).toEqual([]);
    expect(action).toContain('Your organisation neither owns this plan nor is named on it, so you cannot record on its actions.');
    expect(action).not.toContain('Correct this entry');
    expect((await browser.get('/web/plans/dorset')).body).not.toContain('Correct an earlier entry');
    expect((await browser.get('/web/plans/dorset/history')).body).not.toContain('Correct this entry');
    for (const form of EVERY_FORM) {
      const opened = await browser.get(`/web/plans/dorset/actions/1.3/${form}`);
      expect(opened.statusCode, form).toBe(403);
      expect(opened.body).toContain('Wiltshire Council neither owns plan dorset nor is named on it, so you cannot record on its actions.');
    }
    for (const chooser of ['/web/plans/dorset/corrections/new', `/web/plans/dorset/corrections/new?eventId=${entry.eventId}`]) {
      const opened = await browser.get(chooser);
      expect(opened.statusCode, chooser).toBe(403);
      expect(opened.body).toContain('Wiltshire Council neither owns plan dorset nor is named on it, so you cannot correct its entries.');
    }
    expect(await ledger.store.count()).toBe(before);
  });

  it('offers a plan manager named on the plan, though not on the action, its forms and corrections, and a contributor none of its corrections', async () => {
    const ledger = await open({}, { web: {} });
    await seedDorsetPlan(ledger);
    const browser = browserFor(ledger);
    // Dorset Police leads action 2.1, not 1.3: a plan manager of it is named on the plan, and may record on every action.
    await browser.signIn(await ledger.keyFor('plan-manager', 'Dorset Police'));
    expect(offered((await browser.get('/web/plans/dorset/actions/1.3')).body)).toEqual(EVERY_FORM);
    expect((await browser.get('/web/plans/dorset')).body).toContain('Correct an earlier entry');
    expect((await browser.get('/web/plans/dorset/corrections/new')).statusCode).toBe(200);
    const contributor = browserFor(ledger);
    await contributor.signIn(await ledger.keyFor('contributor', 'Dorset CCG'));
    const chooser = await contributor.get('/web/plans/dorset/corrections/new');
    expect(chooser.statusCode).toBe(403);
    expect(chooser.body).toContain('Correcting an entry is for the plan-manager role.');
  });

  it('offers no form and no correction on a page answering 400 for a date it cannot read, though it shows the present under the error', async () => {
    const ledger = await open({}, { web: {} });
    const { manager } = await seedDorsetPlan(ledger);
    const browser = browserFor(ledger);
    await browser.signIn(manager);
    // The same pages read as asked offer them, so what the error pages leave out is there to leave out.
    expect(offered((await browser.get('/web/plans/dorset/actions/1.3')).body)).toEqual(EVERY_FORM);
    for (const url of ['/web/plans/dorset/actions/1.3', '/web/plans/dorset', '/web/plans/dorset/history'])
      expect((await browser.get(url)).body, url).toContain('/corrections/new');
    for (const url of [
      '/web/plans/dorset/actions/1.3?asOf=garbage',
      '/web/plans/dorset/actions/1.3?effectiveOn=2015-02-31',
      '/web/plans/dorset?asOf=2015-13-01',
      '/web/plans/dorset/history?effectiveOn=garbage',
    ]) {
      const res = await browser.get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.body, url).toContain('nhsuk-error-summary');
      expect(offered(res.body), url).toEqual([]);
      expect(res.body, url).not.toContain('<h2 class="nhsuk-heading-m">Record</h2>');
      expect(res.body, url).not.toContain('/corrections/new');
    }
  });
});
