import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor } from './web-support.ts';

const open = useSecuredLedger();

describe("an organisation's page", () => {
  it('says of each recommendation awaiting assurance whether it is judged partially assured, not assured, or not yet judged', async () => {
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
});
