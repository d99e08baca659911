import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor } from './web-support.ts';

const open = useSecuredLedger();

describe("an action's history", () => {
  it('links each entry to the action as the ledger stood once it was recorded: that entry in, the later ones not yet', async () => {
    const ledger = await open({}, { web: {} });
    const { manager } = await seedDorsetPlan(ledger);
    const update = async (narrative: string) => {
      const res = await ledger.call(manager, {
        method: 'POST',
        url: '/plans/dorset/actions/2.1/progress-updates',
        payload: { narrative, effectiveOn: '2015-09' },
      });
      expect(res.statusCode, res.body).toBe(201);
    };
    await update('Protocol drafted');
    await new Promise((resolve) => setTimeout(resolve, 5)); // the second entry a few milliseconds later
    await update('Protocol signed by the police');
    expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('auditor', 'Dorset CCG'));
    const history = (await browser.get('/web/plans/dorset/actions/2.1')).body;
    const rowOf = (narrative: string) => history.split('<tr class="nhsuk-table__row" id="entry-').find((r) => r.includes(narrative))!;
    const link = /href="([^"]*asOf=[^"]*)">As the ledger stood then/.exec(rowOf('Protocol drafted'))?.[1]?.replaceAll('&amp;', '&');
    expect(link).toMatch(/^\/web\/plans\/dorset\/actions\/2\.1\?asOf=\d{4}-\d{2}-\d{2}T[\d%A:.]+Z#entry-/);
    const then = await browser.get(link!.split('#')[0]!);
    expect(then.statusCode).toBe(200);
    expect(then.body).toContain('Protocol drafted');
    expect(then.body).not.toContain('Protocol signed by the police');
  });
});
