import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor } from './web-support.ts';

const open = useSecuredLedger();

/** The action page's "Record" links: which forms it offers. */
const offered = (html: string) => [...html.matchAll(/<li><a href="\/web\/plans\/dorset\/actions\/[\d.]+\/([\w-]+)">/g)].map((m) => m[1]);

describe('the forms an action page offers', () => {
  it('offers only evidence on a closed action, and says why; its other forms say so before anything is typed', async () => {
    const ledger = await open({}, { web: {} });
    const { manager } = await seedDorsetPlan(ledger);
    const browser = browserFor(ledger);
    await browser.signIn(manager);
    expect(offered((await browser.get('/web/plans/dorset/actions/1.3')).body)).toEqual([
      'progress-update',
      'evidence',
      'evidence-files',
      'deadline-revision',
      'completion',
    ]);
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
    const ledger = await open({}, { web: {} });
    await seedDorsetPlan(ledger);
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('contributor', 'Dorset Police'));
    const theirs = (await browser.get('/web/plans/dorset/actions/1.3')).body;
    expect(offered(theirs)).toEqual([]);
    expect(theirs).toContain('Your organisation neither leads nor partners this action');
    const opened = await browser.get('/web/plans/dorset/actions/1.3/progress-update');
    expect(opened.statusCode).toBe(403);
    expect(opened.body).toContain('Dorset Police neither leads nor partners action 1.3, so you cannot record on it.');
    expect(offered((await browser.get('/web/plans/dorset/actions/2.1')).body)).toEqual(['progress-update', 'evidence', 'evidence-files']);
    const managers = await browser.get('/web/plans/dorset/actions/2.1/deadline-revision');
    expect(managers.statusCode).toBe(403);
    expect(managers.body).toContain('Revise the deadline is for the plan-manager role.');
  });
});
