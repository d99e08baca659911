import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReadApp, type ReadApp } from './read-app.ts';

/**
 * Seven plans whose actions are due in 2016, some completed without evidence, some revised
 * three times: plan-d has none of them, so a page boundary can fall beside a plan with no findings.
 */
const FINDINGS_PER_PLAN = { 'plan-a': 3, 'plan-b': 1, 'plan-c': 2, 'plan-d': 0, 'plan-e': 4, 'plan-f': 1, 'plan-g': 2 };

let r: ReadApp;
beforeAll(async () => {
  // Each entry is recorded soon after it took effect, so none is a finding of being recorded late.
  r = await openReadApp({ now: '2015-03-10T09:00:00.000Z' });
  const refs = (actions: number) => Array.from({ length: actions }, (_, i) => i + 1);
  for (const [planId, actions] of Object.entries(FINDINGS_PER_PLAN)) {
    const plan = `/plans/${planId}`;
    await r.post('/plans', { planId, title: `Plan ${planId}`, kind: 'crisis-care-concordat', owner: 'Dorset CCG', effectiveOn: '2015-03' });
    // An action due outside the window with nothing to find, so every plan has one.
    await r.post(`${plan}/actions`, {
      ref: '0.1',
      text: 'Not due in the window',
      leadOrganisations: ['Dorset CCG'],
      due: { kind: 'date', date: '2030-01' },
      effectiveOn: '2015-03',
    });
    for (const i of refs(actions))
      await r.post(`${plan}/actions`, {
        ref: `1.${i}`,
        text: `Action 1.${i} of ${planId}`,
        leadOrganisations: [i % 2 ? 'Dorset Police' : 'SWAST'],
        due: { kind: 'date', date: `2016-0${i}` },
        effectiveOn: '2015-03',
      });
  }
  // Even-numbered actions: revised three times, missed; odd-numbered: completed late, without evidence.
  r.setNow('2016-01-10T09:00:00.000Z');
  for (const [planId, actions] of Object.entries(FINDINGS_PER_PLAN))
    for (const i of refs(actions).filter((n) => n % 2 === 0))
      for (const date of ['2016-07', '2016-08', '2016-09'])
        await r.post(`/plans/${planId}/actions/1.${i}/deadline-revisions`, {
          to: { kind: 'date', date },
          reason: 'Delayed',
          effectiveOn: '2016-01',
        });
  r.setNow('2016-06-10T09:00:00.000Z');
  for (const [planId, actions] of Object.entries(FINDINGS_PER_PLAN))
    for (const i of refs(actions).filter((n) => n % 2 === 1))
      await r.post(`/plans/${planId}/actions/1.${i}/completion`, { completedOn: '2016-06' });
  r.setNow('2026-01-05T09:00:00.000Z');
});
afterAll(() => r.close());

interface Page {
  limit: number;
  next: string | null;
  totals: Record<string, number>;
  [list: string]: unknown;
}

const LISTS = {
  deadlines: ['actions'],
  discrepancies: [
    'greenButOverdue',
    'completedWithoutEvidence',
    'recordedLate',
    'revisedMoreThanTwice',
    'revisedAfterDeadline',
    'closedAfterDeadline',
  ],
};
const URLS = { deadlines: '/reports/deadlines?from=2016-01&to=2016-12', discrepancies: '/reports/discrepancies' };
type Report = keyof typeof URLS;

const withQuery = (url: string, query: string) => (query === '' ? url : `${url}${url.includes('?') ? '&' : '?'}${query}`);

const read = async (url: string): Promise<Page> => {
  const res = await r.get(url);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Page;
};
const findingsOf = (report: Report, page: Page) => LISTS[report].flatMap((list) => page[list] as { planId: string }[]);

/** Every page of a report, following `next` from the first page to the last. */
const allPages = async (report: Report, limit: number) => {
  const pages: Page[] = [];
  let after: string | null = null;
  do {
    const page: Page = await read(withQuery(URLS[report], `limit=${limit}${after === null ? '' : `&after=${after}`}`));
    pages.push(page);
    after = page.next;
  } while (after !== null && pages.length < 20);
  return pages;
};

describe.each(['deadlines', 'discrepancies'] as const)('the %s report, a page at a time', (report) => {
  it('lists every finding once when its pages are followed to the end, each page holding whole plans in plan-id order', async () => {
    const whole = await read(withQuery(URLS[report], `limit=1000`));
    expect(whole.next).toBeNull();
    const everything = findingsOf(report, whole);
    expect(everything).toHaveLength(13);
    for (const limit of [1, 2, 3, 5]) {
      const pages = await allPages(report, limit);
      expect(pages.at(-1)!.next).toBeNull();
      const planSets = pages.map((page) => [...new Set(findingsOf(report, page).map((f) => f.planId))]);
      // No plan is split across two pages, and the plans come in plan-id order.
      expect(planSets.flat()).toEqual([...new Set(everything.map((f) => f.planId))]);
      for (const [i, page] of pages.entries()) {
        const found = findingsOf(report, page);
        if (i < pages.length - 1) {
          expect(found.length).toBeGreaterThanOrEqual(limit);
          // A page ends with the plan that filled it: one plan fewer would not have.
          const lastPlan = found.filter((f) => f.planId === page.next).length;
          expect(found.length - lastPlan).toBeLessThan(limit);
        }
        expect(page.totals).toEqual(whole.totals);
        expect(page.limit).toBe(limit);
      }
      for (const list of LISTS[report]) expect(pages.flatMap((page) => page[list] as unknown[])).toEqual(whole[list]);
    }
  });

  it('answers 100 findings by default, and an empty last page after the last plan', async () => {
    const first = await read(URLS[report]);
    expect(first).toMatchObject({ limit: 100, next: null });
    const beyond = await read(withQuery(URLS[report], `after=plan-g`));
    expect(findingsOf(report, beyond)).toEqual([]);
    expect(beyond.next).toBeNull();
    expect(beyond.totals).toEqual(first.totals);
  });

  it('starts after any plan id given, known or not', async () => {
    const page = await read(withQuery(URLS[report], `after=plan-cz&limit=1`));
    expect(findingsOf(report, page).every((f) => f.planId === 'plan-e')).toBe(true);
    expect(page.next).toBe('plan-e');
  });

  it('refuses a page size or cursor out of range with a problem naming the field, and writes nothing', async () => {
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['limit=ten', 'limit'],
      ['limit=2.5', 'limit'],
      ['after=', 'after'],
      [`after=${'p'.repeat(301)}`, 'after'],
    ]) {
      const before = await r.store.count();
      const res = await r.app.inject({ method: 'GET', url: withQuery(URLS[report], `${query}`) });
      expect(res.statusCode, query).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code: 'validation-failed' });
      expect(res.body).toContain(field);
      expect(await r.store.count()).toBe(before);
    }
  });
});

describe('the totals of the reports', () => {
  it('count every plan whatever the page: deadlines by outcome, discrepancies per list', async () => {
    const deadlines = await read(`${URLS.deadlines}&limit=1&after=plan-f`);
    expect(deadlines.totals).toEqual({ met: 0, missed: 13, revised: 0, open: 0, closed: 0 });
    const discrepancies = await read('/reports/discrepancies?limit=1&after=plan-f');
    expect(discrepancies.totals).toEqual({
      greenButOverdue: 0,
      completedWithoutEvidence: 8,
      recordedLate: 0,
      revisedMoreThanTwice: 5,
      revisedAfterDeadline: 0,
      closedAfterDeadline: 0,
    });
  });
});

describe("one organisation's account, a page at a time", () => {
  const URL = '/organisations/Dorset%20Police';
  type Account = Page & { actions: { planId: string; ref: string }[]; awaitingAssurance: unknown[] };
  const figuresOf = ({ actions: _a, awaitingAssurance: _w, limit: _l, next: _n, ...figures }: Account) => figures;

  it('lists every action once when its pages are followed to the end, whole plans in plan-id order, with the figures of every plan on each', async () => {
    const whole = (await read(`${URL}?limit=1000`)) as Account;
    expect(whole.next).toBeNull();
    // Dorset Police leads the odd-numbered actions: two of plan-a's three, one of plan-b's…
    expect(whole.actions.map((a) => `${a.planId} ${a.ref}`)).toEqual([
      'plan-a 1.1',
      'plan-a 1.3',
      'plan-b 1.1',
      'plan-c 1.1',
      'plan-e 1.1',
      'plan-e 1.3',
      'plan-f 1.1',
      'plan-g 1.1',
    ]);
    expect(whole).toMatchObject({ organisation: 'Dorset Police', actionsLed: 8 });
    for (const limit of [1, 2, 3]) {
      const pages: Account[] = [];
      let after: string | null = null;
      do {
        pages.push((await read(`${URL}?limit=${limit}${after === null ? '' : `&after=${after}`}`)) as Account);
        after = pages.at(-1)!.next;
      } while (after !== null && pages.length < 20);
      expect(pages.flatMap((p) => p.actions)).toEqual(whole.actions);
      for (const [i, page] of pages.entries()) {
        expect(figuresOf(page)).toEqual(figuresOf(whole));
        expect(page.limit).toBe(limit);
        if (i < pages.length - 1) {
          expect(page.actions.length).toBeGreaterThanOrEqual(limit);
          expect(page.next).toBe(page.actions.at(-1)!.planId);
        }
      }
    }
  });

  it('answers 100 by default, and refuses a page size or cursor out of range with a problem naming the field, writing nothing', async () => {
    expect(await read(URL)).toMatchObject({ limit: 100, next: null });
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['limit=ten', 'limit'],
      ['after=', 'after'],
    ]) {
      const before = await r.store.count();
      const res = await r.app.inject({ method: 'GET', url: `${URL}?${query}` });
      expect(res.statusCode, query).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code: 'validation-failed' });
      expect(res.body).toContain(field);
      expect(await r.store.count()).toBe(before);
    }
  });
});
