import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor, hiddenFieldsOf, dorsetSignedIn } from './web-support.ts';

const open = useSecuredLedger();
const form = '/web/plans/dorset/actions/1.3/progress-update';
const summaryOf = (html: string) => [...html.matchAll(/<li>\s*<a href="(#[^"]+)">([^<]*)<\/a>/g)].map((m) => `${m[1]} ${m[2]!.trim()}`);

describe("a progress update's rating and what it means", () => {
  it('refuses a meaning typed without its rating, at the rating box, keeping what was typed and writing nothing', async () => {
    const { ledger, browser } = await dorsetSignedIn(open, 'plan-manager', 'Dorset CCG');
    const before = await ledger.store.count();
    const res = await browser.submit(form, form, {
      ...hiddenFieldsOf((await browser.get(form)).body),
      narrative: 'Mapping begun',
      rating: '',
      meaning: 'On track against the revised date',
    });
    expect(res.statusCode).toBe(400);
    expect(summaryOf(res.body)).toEqual(['#rating Enter the rating that meaning is for, or leave both empty']);
    expect(res.body).toContain('value="On track against the revised date"');
    expect(await ledger.store.count()).toBe(before);
  });

  it('records a rating given with its meaning, both of them', async () => {
    const ledger = await open({}, { web: {} });
    await seedDorsetPlan(ledger);
    const manager = await ledger.keyFor('plan-manager', 'Dorset CCG');
    const browser = browserFor(ledger);
    await browser.signIn(manager);
    const res = await browser.submit(form, form, {
      ...hiddenFieldsOf((await browser.get(form)).body),
      narrative: 'Mapping begun',
      rating: 'Amber',
      meaning: 'Behind, with a plan to recover',
    });
    expect(res.statusCode, res.body).toBe(303);
    const plan = (await ledger.call(manager, { method: 'GET', url: '/plans/dorset' })).json();
    const action = (plan.actions as { ref: string; reportedRag: unknown }[]).find((a) => a.ref === '1.3');
    expect(action?.reportedRag).toMatchObject({ rating: 'Amber', meaning: 'Behind, with a plan to recover' });
  });
});
