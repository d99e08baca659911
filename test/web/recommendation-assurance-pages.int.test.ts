import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor } from './web-support.ts';

const open = useSecuredLedger();

describe("a recommendation's assurance on the pages", () => {
  it('an organisation lists each recommendation awaiting assurance saying whether it is judged partially assured, not assured, or not yet judged', async () => {
    const ledger = await open({}, { web: {} });
    const { manager } = await seedDorsetPlan(ledger);
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
    const page = async () => {
      const html = (await browser.get('/web/organisations/Dorset%20HealthCare')).body;
      return html.slice(html.indexOf('Recommendations awaiting assurance'));
    };
    expect(await page()).toContain('Not yet judged</strong>');
    const res = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/recommendations/R1/assurances',
      payload: { judgement: 'partially-assured', assuredBy: 'Crisis Care Concordat Board', rationale: 'No evidence yet' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
    const judged = await page();
    expect(judged).toContain('Judged partially assured</strong>');
    expect(judged).not.toContain('Not yet judged</strong>');
  });

  it("on the plan's page, the judgement says why, who recorded it and when, and the response who gave it and when", async () => {
    const ledger = await open({}, { web: {} });
    const { manager } = await seedDorsetPlan(ledger);
    const post = async (url: string, payload: object) => {
      const res = await ledger.call(manager, { method: 'POST', url, payload });
      expect(res.statusCode, res.body).toBe(201);
    };
    await post('/plans/dorset/recommendations/R1/responses', {
      respondent: 'Dorset HealthCare',
      response: 'Accepted',
      effectiveOn: '2015-09',
    });
    await post('/plans/dorset/recommendations/R1/assurances', {
      judgement: 'partially-assured',
      assuredBy: 'Crisis Care Concordat Board',
      rationale: 'The site is live; no evidence yet',
      effectiveOn: '2017-09',
    });
    expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('auditor', 'Dorset CCG'));
    const html = (await browser.get('/web/plans/dorset')).body;
    const row = html.slice(html.indexOf('Recommendations, their responses and assurance'));
    expect(row).toContain('Response from Dorset HealthCare, September 2015: Accepted (recorded by plan-manager of Dorset CCG, ');
    expect(row).toContain('partially assured by Crisis Care Concordat Board, September 2017');
    expect(row).toContain('Why: The site is live; no evidence yet');
    expect(row).toMatch(/Recorded by plan-manager of Dorset CCG, \d+ \w+ \d{4} at \d{2}:\d{2}/);
  });
});
