import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor, hiddenFieldsOf } from './web-support.ts';

const open = useSecuredLedger();

/** Every link of a page to an action's page or form, as written in its href. */
const actionLinks = (body: string) =>
  [...body.matchAll(/href="(\/web\/plans\/dorset\/actions\/[^"]*)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));

describe('an action whose reference holds a slash ("5/1", as the reference rule allows)', () => {
  it('is linked from the plan, the reports and its own page by an address that opens it, and its forms record and lead back to it', async () => {
    const ledger = await open({}, { web: {} });
    const { manager } = await seedDorsetPlan(ledger);
    const agreed = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/actions',
      payload: {
        ref: '5/1',
        text: 'Joint protocol with the ambulance service',
        leadOrganisations: ['Dorset CCG'],
        due: { kind: 'date', date: '2015-10' },
        effectiveOn: '2015-06',
      },
    });
    expect(agreed.statusCode, agreed.body).toBe(201);
    expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('plan-manager', 'Dorset CCG'));

    const action = '/web/plans/dorset/actions/5%2F1';
    // Overdue since October 2015, so the deadline report and the organisation's page list it too.
    for (const page of ['/web/plans/dorset', '/web/reports/deadlines?from=2015-10&to=2015-10', '/web/organisations/Dorset%20CCG']) {
      const links = actionLinks((await browser.get(page)).body);
      expect(
        links.some((href) => href.startsWith(action)),
        page,
      ).toBe(true);
      expect(
        links.some((href) => href.startsWith('/web/plans/dorset/actions/5/1')),
        page,
      ).toBe(false);
    }
    const own = await browser.get(action);
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain('Joint protocol with the ambulance service');
    const form = `${action}/progress-update`;
    expect(actionLinks(own.body)).toContain(form);

    const before = await ledger.store.count();
    const recorded = await browser.submit(form, form, {
      ...hiddenFieldsOf((await browser.get(form)).body),
      narrative: 'Protocol drafted',
      'effectiveOn-day': '',
      'effectiveOn-month': '9',
      'effectiveOn-year': '2015',
    });
    expect(recorded.statusCode, recorded.body.slice(0, 300)).toBe(303);
    expect(recorded.headers.location).toMatch(
      new RegExp(`^${action.replace(/[.?]/g, '\\$&')}\\?recorded=progress-update&shown=\\d+#history$`),
    );
    expect(await ledger.store.count()).toBe(before + 1);
    expect((await browser.get(`${action}?recorded=progress-update`)).body).toContain('Protocol drafted');
  });
});
