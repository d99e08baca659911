import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger, type SecuredLedger } from '../support/access.ts';

/**
 * The pages in a real browser: Debian's chromium driven by playwright-core (Playwright's own
 * browser download cannot work here). Journeys a person takes, with and without JavaScript,
 * axe-core on every page, and a screenshot of each journey under test-output/web for people to
 * look at (not committed).
 */
const CHROMIUM = process.env.LEDGER_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.log(`browser tests skipped: no chromium at ${CHROMIUM} (install it with: apt-get install -y chromium)`);
const SCREENSHOTS = path.resolve('test-output/web');

const open = useSecuredLedger();
let browser: Browser;
beforeAll(async () => {
  if (!haveChromium) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--headless',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

/** The real app listening on loopback, with the Dorset plan, and its address. */
const serve = async (): Promise<{ ledger: SecuredLedger; base: string }> => {
  const ledger = await open({}, { web: {} });
  await seedDorsetPlan(ledger);
  await ledger.ledger.checkpointNow();
  const base = await ledger.app.listen({ port: 0, host: '127.0.0.1' });
  return { ledger, base };
};

/**
 * Every console error and CSP violation a page reports (a blocked script or style shows up
 * here), and every asset that failed to load. A page's own 400 or 404 is its answer, not a fault.
 */
const watch = (page: Page) => {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && r.request().resourceType() !== 'document') problems.push(`${r.status()} ${r.url()}`);
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return problems;
};

const axeChecked: { url: string; violations: string[] }[] = [];
const checkAxe = async (page: Page) => {
  // A click on a link returns once the navigation has begun, when the new page may not be drawn yet: axe would check
  // an empty document (no main landmark, no heading). Checked once it has loaded.
  await page.waitForLoadState('load');
  // axe checks the whole document in the page itself (legacy mode), not frame by frame with the results merged in a
  // blank page the builder opens for every check: that is for pages holding frames, and took half of each check's
  // time. No page here holds a frame, and this says so should one ever be added.
  expect(page.frames(), `${page.url()} holds a frame: check it frame by frame`).toHaveLength(1);
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    // Every violation is still reported in full; passes and the rest, which nothing here reads, are not gathered node
    // by node (a quarter of each check's time).
    .options({ resultTypes: ['violations'] })
    .setLegacyMode(true)
    .analyze();
  const violations = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  axeChecked.push({ url: new URL(page.url()).pathname, violations });
  expect(violations, page.url()).toEqual([]);
};

/** axe runs inside the page, so pages opened with JavaScript off are checked in another context. */
const signIn = async (page: Page, base: string, key: string, axe = true) => {
  await page.goto(`${base}/`);
  expect(new URL(page.url()).pathname).toBe('/web/sign-in');
  if (axe) await checkAxe(page);
  // From the keyboard: focus the key field, type, press Enter.
  await page.focus('#apiKey');
  await page.keyboard.type(key);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${base}/web`);
};

// Real browsers on a shared two-core machine: generous time per journey.
describe.skipIf(!haveChromium)('the pages in a real browser', { timeout: 180_000 }, () => {
  it('signs in, goes from home to a plan to an action history, with no accessibility violation or blocked script', async () => {
    const { ledger, base } = await serve();
    const context: BrowserContext = await browser.newContext();
    const page = await context.newPage();
    const problems = watch(page);
    await signIn(page, base, await ledger.keyFor('plan-manager', 'Dorset CCG'));
    await checkAxe(page);
    await page.getByRole('link', { name: 'Dorset Crisis Care Concordat action plan' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toBeTruthy();
    expect(await page.locator('h1').textContent()).toBe('Dorset Crisis Care Concordat action plan');
    await checkAxe(page);
    await page.getByRole('link', { name: '1.3', exact: true }).click();
    expect(await page.locator('h1').textContent()).toBe('Action 1.3');
    expect(await page.locator('svg.al-timeline').count()).toBe(1);
    await checkAxe(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'journey-home-plan-action.png'), fullPage: true });
    for (const url of [
      '/web/plans/dorset/progress',
      '/web/plans/dorset/history',
      '/web/plans/dorset/changes?from=2015-06&to=2016-12&clock=effective',
      '/web/organisations',
      '/web/organisations/Dorset%20Police',
      '/web/reports/deadlines?from=2015-01&to=2016-12',
      '/web/reports/discrepancies',
      '/web/imports',
      '/web/plans/dorset/actions/1.3/evidence',
      '/web/plans/dorset/actions/1.3/evidence-files',
      '/web/plans/dorset/actions/1.3/deadline-revision',
      '/web/plans/dorset/actions/1.3/completion',
      '/web/plans/dorset/corrections/new',
      '/web/plans/nowhere',
      '/web/no-such-page',
    ]) {
      await page.goto(`${base}${url}`);
      await checkAxe(page);
    }
    await page.goto(`${base}/web/plans/dorset/actions/1.3`);
    // The click resolves before the form has loaded: the form is checked once the browser is on it.
    await Promise.all([
      page.waitForURL(/\/corrections\/new\?eventId=/),
      page
        .getByRole('link', { name: /Correct this entry/ })
        .first()
        .click(),
    ]);
    await checkAxe(page);
    // A form sent empty: the error summary, the field's error message, and focus moved to the summary.
    await page.goto(`${base}/web/plans/dorset/actions/1.3/progress-update`);
    await checkAxe(page);
    await page.getByRole('button', { name: 'Record' }).click();
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain('Enter what was done');
    await checkAxe(page);
    // nhsuk-frontend's script ran (its inline script has the nonce) and nothing was blocked.
    expect(await page.evaluate(() => document.body.className)).toContain('js-enabled');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('records a progress update through the form, shows errors first, and the update appears in the history, without JavaScript', async () => {
    const { ledger, base } = await serve();
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signIn(page, base, await ledger.keyFor('contributor', 'Dorset CCG'), false);
    await page.goto(`${base}/web/plans/dorset/actions/1.3`);
    await page.getByRole('link', { name: 'Record a progress update' }).click();
    const before = await ledger.store.count();
    await page.getByRole('button', { name: 'Record' }).click();
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain('Enter what was done');
    expect(await ledger.store.count()).toBe(before);
    await page.getByLabel('Update').fill('AUG 2017 The directory of services is live on the council website');
    await page.getByLabel('Reported RAG rating').fill('Green');
    await page.getByLabel('Month').fill('8');
    await page.getByLabel('Year').fill('2017');
    await page.getByRole('button', { name: 'Record' }).click();
    await page.waitForURL(/recorded=progress-update/);
    expect(await page.locator('.nhsuk-notification-banner--success').textContent()).toContain('Recorded');
    expect(await page.locator('#history ~ table').textContent()).toContain('The directory of services is live');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'journey-record-update.png'), fullPage: true });
    expect(await ledger.store.count()).toBe(before + 1);
    await context.close();
  });

  it('opens a form empty again when the browser goes back to it after recording, so Record cannot record the same entry twice', async () => {
    const { ledger, base } = await serve();
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signIn(page, base, await ledger.keyFor('contributor', 'Dorset CCG'));
    await page.goto(`${base}/web/plans/dorset/actions/1.3/progress-update`);
    const before = await ledger.store.count();
    await page.getByLabel('Update').fill('AUG 2017 The directory of services is live');
    await page.getByRole('button', { name: 'Record' }).click();
    await page.waitForURL(/recorded=progress-update/);
    expect(await ledger.store.count()).toBe(before + 1);
    await page.goBack();
    expect(await page.getByLabel('Update').inputValue()).toBe('');
    await page.getByRole('button', { name: 'Record' }).click();
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain('Enter what was done');
    expect(await ledger.store.count()).toBe(before + 1);
    await context.close();
  });

  it('shows the ledger as it stood at an earlier date, with a banner, and comes back to today', async () => {
    const { ledger, base } = await serve();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const instant = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await ledger.call(await ledger.keyFor('plan-manager'), {
      method: 'POST',
      url: '/plans/dorset/actions/1.3/deadline-revisions',
      payload: { to: { kind: 'date', date: '2018-03' }, reason: 'Funding bid for the MLMC site', effectiveOn: '2017-08' },
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, base, await ledger.keyFor('auditor'));
    await page.goto(`${base}/web/plans/dorset/actions/1.3?asOf=${encodeURIComponent(instant)}`);
    expect(await page.locator('.nhsuk-notification-banner').first().textContent()).toContain('You are looking at the past');
    expect(await page.content()).not.toContain('Funding bid for the MLMC site');
    await checkAxe(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'journey-time-travel.png'), fullPage: true });
    // The breadcrumb keeps the date: the plan is shown as it stood then too.
    await page
      .getByRole('navigation', { name: 'Breadcrumb' })
      .getByRole('link', { name: 'Dorset Crisis Care Concordat action plan' })
      .click();
    expect(page.url()).toContain('asOf=');
    expect(await page.locator('.nhsuk-notification-banner').first().textContent()).toContain('You are looking at the past');
    await page.getByRole('link', { name: 'See this page as it is today' }).click();
    expect(page.url()).not.toContain('asOf=');
    await page.goto(`${base}/web/plans/dorset/actions/1.3`);
    expect(await page.content()).toContain('Funding bid for the MLMC site');
    // What was true on a date, and a date that is not one: the banner, and the error summary pointing at the field.
    await page.goto(`${base}/web/plans/dorset?effectiveOn=2017-08`);
    expect(await page.locator('.nhsuk-notification-banner').first().textContent()).toContain('what was true by the end of August 2017');
    await checkAxe(page);
    // Its changes compared by the dates things happened: the form sets the page's own business date aside, as from and to say what was true when.
    await page.goto(`${base}/web/plans/dorset/changes?effectiveOn=2017-08`);
    await page.fill('#from', '2015-06');
    await page.fill('#to', '2016-12');
    await page.getByLabel('By the dates things happened').check();
    await Promise.all([page.waitForURL(/clock=effective/), page.getByRole('button', { name: 'Show what changed' }).click()]);
    expect(page.url()).not.toContain('effectiveOn');
    expect(await page.locator('.nhsuk-error-summary').count()).toBe(0);
    expect(await page.locator('main h2').first().textContent()).toBe('June 2015 to December 2016');
    await checkAxe(page);
    await page.goto(`${base}/web/plans/dorset?effectiveOn=2017-13`);
    await page.locator('.nhsuk-error-summary a[href="#effectiveOn"]').click();
    await checkAxe(page);
    // Two bad dates: both named at once, each link leading to its field.
    await page.goto(`${base}/web/plans/dorset?asOf=2017-02-30&effectiveOn=2017-13`);
    await checkAxe(page);
    for (const field of ['asOf', 'effectiveOn']) {
      await page.locator(`.nhsuk-error-summary a[href="#${field}"]`).click();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe(field);
    }
    // Nothing at an earlier date: an empty list in words, and a page that found nothing offering another date.
    await page.goto(`${base}/web/organisations?effectiveOn=2015-02`);
    expect(await page.locator('main').textContent()).toContain('No action or recommendation of any plan named an organisation');
    await checkAxe(page);
    await page.goto(`${base}/web/plans/dorset?effectiveOn=2015-02`);
    await checkAxe(page);
    await page.fill('#effectiveOn', '2017-08');
    await Promise.all([page.waitForURL(/effectiveOn=2017-08/), page.getByRole('button', { name: 'Show' }).click()]);
    expect(await page.locator('h1').textContent()).toBe('Dorset Crisis Care Concordat action plan');
    for (const url of ['/web/integrity', '/web/integrity/verify']) {
      await page.goto(`${base}${url}`);
      await checkAxe(page);
    }
    await page.goto(`${base}/web/plans/dorset/actions/1.3/progress-update`);
    expect(await page.locator('h1').textContent()).toBe('You cannot see this page');
    await checkAxe(page);
    await context.close();
  });

  it('pages a long history both ways, and answers a plan corrected away from the date compared at, a retracted plan and a form the person cannot use with pages of their own, accessibly', async () => {
    const { ledger, base } = await serve();
    const manager = await ledger.keyFor('plan-manager', 'Dorset CCG');
    let position = '';
    for (let i = 0; i < 55; i++) {
      const res = await ledger.call(manager, {
        method: 'POST',
        url: '/plans/dorset/actions/2.1/progress-updates',
        payload: { narrative: `Protocol drafting, week ${i}` },
      });
      position = res.json().position;
    }
    await ledger.call(manager, { method: 'GET', url: `/plans/dorset?minPosition=${position}` });
    const context: BrowserContext = await browser.newContext();
    const page = await context.newPage();
    const problems = watch(page);
    await signIn(page, base, await ledger.keyFor('contributor', 'Dorset Police'));
    await page.goto(`${base}/web/plans/dorset/actions/2.1`);
    await page.getByRole('link', { name: /Later entries/ }).click();
    await checkAxe(page);
    await page.getByRole('link', { name: /Earlier entries/ }).click();
    expect(page.url()).toBe(`${base}/web/plans/dorset/actions/2.1#history`);
    for (const [url, heading] of [
      ['/web/plans/dorset/actions/1.3', 'Action 1.3'],
      ['/web/plans/dorset/actions/1.3/progress-update', 'You cannot see this page'],
      ['/web/plans/dorset/actions/2.1/deadline-revision', 'You cannot see this page'],
    ]) {
      await page.goto(`${base}${url}`);
      expect(await page.locator('h1').textContent()).toBe(heading);
      await checkAxe(page);
    }
    // A correction moves the plan's registration past June 2016: compared at that date, every action is removed.
    const beforeCorrection = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const timeline = (await ledger.call(manager, { method: 'GET', url: '/plans/dorset/timeline' })).json();
    const registration = timeline.entries.find((e: { type: string }) => e.type === 'PlanRegistered').eventId as string;
    const corrected = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/corrections',
      payload: { correctedEventId: registration, correctedEffectiveOn: '2017-05', reason: 'Registered in May 2017' },
    });
    await ledger.call(manager, { method: 'GET', url: `/plans?minPosition=${corrected.json().position}` });
    await page.goto(
      `${base}/web/plans/dorset/changes?from=${encodeURIComponent(beforeCorrection)}&to=${new Date().toISOString().slice(0, 10)}&effectiveOn=2016-06`,
    );
    expect(await page.getByRole('heading', { name: 'Actions removed' }).count()).toBe(1);
    await checkAxe(page);
    const retracted = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/retraction',
      payload: { reason: 'Registered twice' },
    });
    await ledger.call(manager, { method: 'GET', url: `/plans?minPosition=${retracted.json().position}` });
    await page.goto(`${base}/web/plans/dorset`);
    expect(await page.locator('h1').textContent()).toBe('Dorset Crisis Care Concordat action plan was retracted');
    await checkAxe(page);
    expect(problems).toEqual([]);
    await context.close();
  });

  afterAll(() => {
    const pages = new Set(axeChecked.map((c) => c.url));
    const violations = axeChecked.reduce((n, c) => n + c.violations.length, 0);
    console.log(`axe-core checked ${axeChecked.length} page views (${pages.size} distinct pages): ${violations} violations`);
  });
});
