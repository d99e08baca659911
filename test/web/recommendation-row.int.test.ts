import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor } from './web-support.ts';

const open = useSecuredLedger();

describe("a recommendation's row on the plan's page", () => {
  it('says who made it, when it is due (a date, or its own words where it sets none), and how much evidence it has', async () => {
    const ledger = await open({}, { web: {} });
    const { manager } = await seedDorsetPlan(ledger);
    const post = async (url: string, payload: object) => {
      const res = await ledger.call(manager, { method: 'POST', url, payload });
      expect(res.statusCode, res.body).toBe(201);
    };
    await post('/plans/dorset/recommendations', {
      ref: 'R2',
      text: 'Review the crisis line within six months',
      source: 'Independent investigation, 2015',
      addressedTo: ['Dorset HealthCare'],
      due: { kind: 'undated', wording: 'within six months' },
      effectiveOn: '2015-06',
    });
    await post('/plans/dorset/recommendations', {
      ref: 'R3',
      text: 'Publish the protocol',
      addressedTo: ['Dorset Police'],
      due: { kind: 'date', date: '2016-03' },
      effectiveOn: '2015-06',
    });
    await post('/plans/dorset/recommendations/R2/evidence', { title: 'Crisis line review', uri: 'https://example.org/review.pdf' });
    expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
    const html = (await browser.get('/web/plans/dorset')).body;
    const rows = html.slice(html.indexOf('Recommendations, their responses and assurance'), html.indexOf('</table>'));
    const row = (ref: string) => rows.slice(rows.indexOf(`</span>${ref}</td>`)).split('</tr>')[0]!;
    expect(rows).toContain('<th scope="col" class="nhsuk-table__header">Due</th>');
    expect(row('R1')).toContain('</span>Not set</td>');
    expect(row('R2')).toContain('Made by Independent investigation, 2015');
    expect(row('R2')).toContain('</span>within six months</td>');
    expect(row('R2')).toContain('1 evidence link');
    expect(row('R3')).toContain('</span>March 2016</td>');
    expect(row('R3')).not.toContain('evidence link');
  });
});
