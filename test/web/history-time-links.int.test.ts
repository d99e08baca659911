import { afterEach, describe, expect, it, vi } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor } from './web-support.ts';

const open = useSecuredLedger();
afterEach(() => vi.useRealTimers());

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

  it('tells entries recorded in the same minute apart by their time to the second, as the page each links to is titled', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2024-01-10T11:00:00Z') });
    const ledger = await open({}, { web: {} });
    const { manager } = await seedDorsetPlan(ledger);
    for (const [at, narrative] of [
      ['2024-01-10T12:00:05Z', 'Protocol drafted'],
      ['2024-01-10T12:00:40Z', 'Protocol signed by the police'],
    ] as const) {
      vi.setSystemTime(new Date(at));
      const res = await ledger.call(manager, { method: 'POST', url: '/plans/dorset/actions/2.1/progress-updates', payload: { narrative } });
      expect(res.statusCode, res.body).toBe(201);
    }
    expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('auditor', 'Dorset CCG'));
    const history = (await browser.get('/web/plans/dorset/actions/2.1')).body;
    const rowOf = (narrative: string) => history.split('<tr class="nhsuk-table__row" id="entry-').find((r) => r.includes(narrative))!;
    const recorded = (row: string) => /aria-hidden="true">Recorded <\/span>([^<]*)</.exec(row)?.[1];
    expect(recorded(rowOf('Protocol drafted'))).toBe('10 January 2024 at 12:00:05 GMT');
    expect(recorded(rowOf('Protocol signed by the police'))).toBe('10 January 2024 at 12:00:40 GMT');
    const link = /href="([^"]*asOf=[^"#]*)[^"]*">As the ledger stood then/.exec(rowOf('Protocol drafted'))![1]!.replaceAll('&amp;', '&');
    const then = await browser.get(link);
    expect(/<title>([^<]*)<\/title>/.exec(then.body)?.[1]).toContain('as recorded at 10 January 2024 at 12:00:05 GMT');
  });

  it("the plan's history lists its plan-level entries with who recorded them, each linking to the plan's history as it then stood", async () => {
    const ledger = await open({}, { web: {} });
    const { manager } = await seedDorsetPlan(ledger);
    const res = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/recommendations/R1/assurances',
      payload: { judgement: 'partially-assured', assuredBy: 'Crisis Care Concordat Board', effectiveOn: '2017-09' },
    });
    expect(res.statusCode, res.body).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const later = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/sections',
      payload: { sectionRef: '9', title: 'Added later' },
    });
    expect(later.statusCode, later.body).toBe(201);
    expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('auditor', 'Dorset CCG'));
    expect((await browser.get('/web/plans/dorset')).body).toContain('href="/web/plans/dorset/history">History of this plan</a>');
    const history = (await browser.get('/web/plans/dorset/history')).body;
    const row = history.split('<tr class="nhsuk-table__row" id="entry-').find((r) => r.includes('judged partially-assured'))!;
    expect(row).toContain('Recommendation R1 judged partially-assured by Crisis Care Concordat Board');
    expect(row).toContain('plan-manager of Dorset CCG');
    expect(history).toContain('Plan registered: Dorset Crisis Care Concordat action plan');
    const link = /href="([^"]*asOf=[^"]*)">As the ledger stood then/.exec(row)?.[1]?.replaceAll('&amp;', '&');
    expect(link).toMatch(/^\/web\/plans\/dorset\/history\?asOf=/);
    const then = (await browser.get(link!.split('#')[0]!)).body;
    expect(then).toContain('judged partially-assured');
    expect(then).not.toContain('Added later');
    const logged = (await ledger.access.log.query({ limit: 100 })).entries.map((e) => e.route);
    expect(logged).toContain('/web/plans/:planId/history');
  });

  it("links an entry past a history's first page to the page that holds it at its instant", async () => {
    const ledger = await open({}, { web: {} });
    const { manager } = await seedDorsetPlan(ledger);
    for (let n = 1; n <= 55; n++) {
      const res = await ledger.call(manager, {
        method: 'POST',
        url: '/plans/dorset/actions/2.1/progress-updates',
        payload: { narrative: `Update number ${n}.`, effectiveOn: '2015-09' },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('auditor', 'Dorset CCG'));
    const first = (await browser.get('/web/plans/dorset/actions/2.1')).body;
    const next = /href="([^"]*after=[^"]*)#history" rel="next"/.exec(first)?.[1]?.replaceAll('&amp;', '&');
    const second = (await browser.get(next!)).body;
    const row = second.split('<tr class="nhsuk-table__row" id="entry-').find((r) => r.includes('Update number 53.'))!;
    const eventId = row.slice(0, row.indexOf('"'));
    const link = /href="([^"]*asOf=[^"]*)">As the ledger stood then/.exec(row)?.[1]?.replaceAll('&amp;', '&');
    expect(link).toContain('&after=');
    const then = (await browser.get(link!.split('#')[0]!)).body;
    expect(then).toContain(`id="entry-${eventId}"`);
    expect(then).not.toContain('Update number 54.');
  });
});
