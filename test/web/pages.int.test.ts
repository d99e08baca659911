import { describe, expect, it } from 'vitest';
import { roles, type Role } from '../../src/access/roles.ts';
import { seedDorsetPlan, useSecuredLedger, type SecuredLedger } from '../support/access.ts';
import { browserFor } from './web-support.ts';
import { HistoryChanged } from '../../projections/history/storage/history-changed.ts';

const open = useSecuredLedger();
const openWeb = async () => {
  const ledger = await open({}, { web: {} });
  await seedDorsetPlan(ledger);
  await ledger.ledger.checkpointNow();
  return ledger;
};

/** Every page, and which roles may open it (the others get a page saying why, with 403). */
const PAGES: { url: string; roles: readonly Role[] }[] = [
  ...[
    '/web',
    '/web/plans/dorset',
    '/web/plans/dorset/actions/1.3',
    '/web/plans/dorset/progress',
    '/web/plans/dorset/changes?from=2015-06&to=2016-12&clock=effective',
    '/web/organisations',
    '/web/organisations/Dorset%20CCG',
    '/web/reports/deadlines?from=2015-01&to=2016-12',
    '/web/reports/deadlines.csv?from=2015-01&to=2016-12',
    '/web/reports/discrepancies',
  ].map((url) => ({ url, roles: ['viewer', 'auditor', 'contributor', 'plan-manager'] as const })),
  ...['/web/integrity', '/web/integrity/verify', '/web/plans/dorset/export'].map((url) => ({ url, roles: ['auditor'] as const })),
  ...[
    '/web/plans/dorset/actions/1.3/progress-update',
    '/web/plans/dorset/actions/1.3/evidence',
    '/web/plans/dorset/actions/1.3/evidence-files',
  ].map((url) => ({
    url,
    roles: ['contributor', 'plan-manager'] as const,
  })),
  // A contributor's role does not use a plan manager's forms: the page says so (403) before anything is typed.
  ...['/web/plans/dorset/actions/1.3/deadline-revision', '/web/plans/dorset/actions/1.3/completion'].map((url) => ({
    url,
    roles: ['plan-manager'] as const,
  })),
  { url: '/web/imports', roles: ['contributor', 'plan-manager'] as const },
];

const signedIn = async (ledger: SecuredLedger, role: Role) => {
  const browser = browserFor(ledger);
  await browser.signIn(await ledger.keyFor(role, 'Dorset CCG'));
  return browser;
};

describe('pages for each role', () => {
  it('answers every page to each role exactly as its access level says, and sends anyone signed out to sign in', async () => {
    const ledger = await openWeb();
    const answers: string[] = [];
    const wanted: string[] = [];
    for (const role of roles) {
      const browser = await signedIn(ledger, role);
      for (const page of PAGES) {
        const res = await browser.get(page.url);
        answers.push(`${role} ${page.url} ${res.statusCode}`);
        wanted.push(`${role} ${page.url} ${page.roles.includes(role) ? 200 : 403}`);
        if (res.statusCode === 403) expect(res.body).toContain('You cannot see this page');
      }
    }
    const anonymous = browserFor(ledger);
    for (const page of PAGES) {
      const res = await anonymous.get(page.url);
      answers.push(`signed out ${page.url} ${res.statusCode} ${res.headers.location}`);
      wanted.push(`signed out ${page.url} 303 /web/sign-in?${new URLSearchParams({ next: page.url })}`);
    }
    expect(answers).toEqual(wanted);
  });

  it('answers 503 with Retry-After and a page saying to reload, when the records keep changing while a page reads them', async () => {
    const ledger = await openWeb();
    const browser = await signedIn(ledger, 'viewer');
    const history = ledger.readModels.readStore.history;
    const walk = history.ledgerBlocksAt;
    // As another process committing to the read store during every walk would make it.
    history.ledgerBlocksAt = () => {
      throw new HistoryChanged('changed');
    };
    try {
      const res = await browser.get(`/web/organisations?asOf=${encodeURIComponent(new Date().toISOString())}`);
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.body).toContain('The records changed while this page was read');
    } finally {
      history.ledgerBlocksAt = walk;
    }
    const again = await browser.get(`/web/organisations?asOf=${encodeURIComponent(new Date().toISOString())}`);
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain('Dorset CCG');
  });

  it('sets a CSP without unsafe-inline, with a fresh nonce on the one inline script, and no caching', async () => {
    const ledger = await openWeb();
    const browser = await signedIn(ledger, 'viewer');
    const a = await browser.get('/web/plans/dorset');
    const b = await browser.get('/web/plans/dorset');
    const csp = String(a.headers['content-security-policy']);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("default-src 'none'");
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    expect(a.body).toContain(`<script nonce="${nonce}">`);
    expect(b.headers['content-security-policy']).not.toBe(csp);
    expect(a.headers['cache-control']).toBe('no-store');
    expect([...a.body.matchAll(/<script(?![^>]*\bsrc=)(?![^>]*nonce=)/g)]).toEqual([]);
    expect(a.body).not.toMatch(/\sstyle="/);
  });

  it("keeps the design system's publisher line out of the footer, which links the API explorer and the ledger's public key", async () => {
    const ledger = await openWeb();
    const browser = await signedIn(ledger, 'viewer');
    const page = await browser.get('/web');
    const footer = /<footer[\s\S]*<\/footer>/.exec(page.body)![0];
    expect(footer).not.toContain('NHS England');
    expect(footer).toContain('href="/docs"');
    expect(footer).toContain('href="/ledger/public-key.pem"');
    expect((await ledger.app.inject({ url: '/ledger/public-key.pem' })).statusCode).toBe(200);
  });

  it("records an auditor's view of a plan and of an action's history in the access log, as the API does", async () => {
    const ledger = await openWeb();
    const browser = await signedIn(ledger, 'auditor');
    await browser.get('/web/plans/dorset');
    await browser.get('/web/plans/dorset/actions/1.3');
    await browser.get('/web/plans/dorset/export');
    const logged = (await ledger.access.log.query({ limit: 100 })).entries.filter((e) => e.route.startsWith('/web/'));
    expect(logged.map((e) => `${e.role} ${e.route} ${e.planId} ${e.status}`)).toEqual([
      'auditor /web/plans/:planId dorset 200',
      'auditor /web/plans/:planId/actions/:ref dorset 200',
      'auditor /web/plans/:planId/export dorset 200',
    ]);
  });

  it('shows a plan as it stood at an earlier date, with a banner saying so, and keeps that date on its links', async () => {
    const ledger = await openWeb();
    const browser = await signedIn(ledger, 'viewer');
    const past = await browser.get('/web/plans/dorset?asOf=2020-01-01');
    expect(past.statusCode).toBe(404);
    expect(past.body).toContain('had been recorded by the end of 1 January 2020');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const before = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const manager = await ledger.keyFor('plan-manager');
    await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/actions/1.3/progress-updates',
      payload: { narrative: 'Recorded after the instant' },
    });
    const then = await browser.get(`/web/plans/dorset/actions/1.3?asOf=${encodeURIComponent(before)}`);
    // The banner is in the main content (where the skip link leads), and the title names the clock.
    expect(then.body.indexOf('You are looking at the past')).toBeGreaterThan(then.body.indexOf('<main'));
    expect(/<title>([^<]*)<\/title>/.exec(then.body)![1]).toMatch(/^Action 1\.3: .* – as recorded at .+ – Assurance Ledger$/);
    expect(then.statusCode).toBe(200);
    expect(then.body).toContain('You are looking at the past');
    expect(then.body).not.toContain('Recorded after the instant');
    expect(then.body).toContain(`href="/web/plans/dorset?asOf=${encodeURIComponent(before)}"`);
    // The form to change the dates keeps the exact time: a browser's date field would show it empty and send none.
    expect(then.body).toMatch(new RegExp(`name="asOf" type="text"[^>]*value="${before}"`));
    // A day too is typed as text: a browser's date field holding no real date would send nothing, and the page would open at today.
    const dayReport = await browser.get('/web/reports/deadlines?asOf=2020-01-01');
    expect(dayReport.body).toMatch(/name="asOf" type="text"[^>]*value="2020-01-01"/);
    expect((await browser.get('/web/reports/deadlines')).body).toMatch(/name="asOf" type="text"[^>]*value=""/);
    const now = await browser.get('/web/plans/dorset/actions/1.3');
    expect(now.body).toContain('Recorded after the instant');
    expect(now.body).not.toContain('You are looking at the past');
    const bad = await browser.get('/web/plans/dorset?asOf=2020-02-31');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/name="asOf" type="text"[^>]*value="2020-02-31"/); // as typed, to be put right
    // An instant's unencoded + arrives as a space: it is given back as it was typed.
    const badInstant = await browser.get('/web/plans/dorset?asOf=2020-02-31T17:00+01:00');
    expect(badInstant.statusCode).toBe(400);
    expect(badInstant.body).toMatch(/name="asOf" type="text"[^>]*value="2020-02-31T17:00\+01:00"/);
  });

  it('shows a plan as things stood on an earlier date, as the ledger knows it now or knew it then, and refuses a date that is not one', async () => {
    const ledger = await openWeb();
    const manager = await ledger.keyFor('plan-manager');
    const completed = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/actions/1.3/completion',
      payload: { completedOn: '2015-09-15' },
    });
    expect(completed.statusCode, completed.body).toBe(201);
    const browser = await signedIn(ledger, 'viewer');
    /** The plan table's row for action 1.3. */
    const row = (body: string) => body.slice(body.indexOf('>1.3</a>'), body.indexOf('</tr>', body.indexOf('>1.3</a>')));
    const before = await browser.get('/web/plans/dorset?effectiveOn=2015-08');
    expect(before.statusCode).toBe(200);
    expect(row(before.body)).toContain('Mapping services');
    expect(row(before.body)).not.toContain('Completed');
    expect(before.body).toContain('This page shows what was true by the end of August 2015, as the ledger knows it now');
    expect(before.body).toContain('href="/web/plans/dorset/actions/1.3?effectiveOn=2015-08"');
    // The plan's last entry that counts then was recorded later: the summary says which it is, not "last recorded".
    expect(before.body).toContain('Latest entry that counts by the end of August 2015</dt>');
    expect(before.body).not.toContain('Last recorded');
    // Nothing found at a business date says at which.
    expect((await browser.get('/web?effectiveOn=2015-02')).body).toContain(
      'No plan to list by the end of February 2015: none had been registered by then, or each had been retracted.',
    );
    const noAction = await browser.get('/web/plans/dorset/actions/9.9?effectiveOn=2015-08');
    expect(noAction.statusCode).toBe(404);
    expect(noAction.body).toContain('Plan dorset has no action 9.9 by the end of August 2015.');
    // Before the plan, the action's page says there was no plan yet, as the plan's page does.
    const noPlanYet = await browser.get('/web/plans/dorset/actions/1.3?effectiveOn=2014-01');
    expect(noPlanYet.statusCode).toBe(404);
    expect(noPlanYet.body).toContain('No plan with this name had been registered by the end of January 2014.');
    const after = await browser.get('/web/plans/dorset?effectiveOn=2015-09-30');
    expect(row(after.body)).toContain('Completed on time');
    expect(after.body).toContain('This page shows what was true on 30 September 2015, as the ledger knows it now');
    const present = await browser.get('/web/plans/dorset');
    expect(row(present.body)).toContain('Completed on time');
    expect(present.body).not.toContain('You are looking at the past');
    expect(present.body).toContain('Last recorded</dt>');
    // With both clocks: the ledger at a day before anything was recorded knew of no such plan.
    const both = await browser.get('/web/plans/dorset?asOf=2020-01-01&effectiveOn=2015-09-30');
    expect(both.statusCode).toBe(404);
    expect(both.body).toContain('as the ledger knew it at the end of 1 January 2020');
    const report = await browser.get('/web/reports/deadlines?from=2015-01&to=2016-12&effectiveOn=2015-08');
    expect(report.statusCode).toBe(200);
    expect(report.body).toContain('name="effectiveOn" value="2015-08"');
    expect(report.body).toContain('effectiveOn=2015-08');
    for (const url of ['/web/plans/dorset?effectiveOn=2015-13', '/web/plans/dorset?effectiveOn=2999-01-01']) {
      const bad = await browser.get(url);
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('nhsuk-error-summary');
      expect(bad.body).toContain('href="#effectiveOn"');
      expect(bad.body).toContain('id="effectiveOn-error"');
    }
  });

  it('pages a long history instead of rendering it at once, each page linking the later entries and the earlier ones', async () => {
    const ledger = await openWeb();
    const manager = await ledger.keyFor('plan-manager');
    for (let i = 0; i < 60; i++)
      await ledger.call(manager, {
        method: 'POST',
        url: '/plans/dorset/actions/1.3/progress-updates',
        payload: { narrative: `Update number ${i}` },
      });
    const browser = await signedIn(ledger, 'viewer');
    const first = await browser.get('/web/plans/dorset/actions/1.3');
    expect(first.body).toContain('61 entries');
    expect(first.body).toContain('Update number 48');
    expect(first.body).not.toContain('Update number 49<');
    const next = /href="(\/web\/plans\/dorset\/actions\/1\.3\?after=\d+)#history"/.exec(first.body.replaceAll('&amp;', '&'))![1]!;
    expect(first.body).toContain('Later entries, after 50 of 61');
    expect(first.body).not.toContain('Earlier entries');
    const second = await browser.get(next);
    expect(second.body).toContain('Update number 59');
    expect(second.body).not.toContain('Update number 48<');
    expect(second.body).not.toContain('Later entries');
    // Back to the first page, at the order it was read in.
    const previous = /href="([^"]+)#history" rel="prev"/.exec(second.body)![1]!.replaceAll('&amp;', '&');
    expect(previous).toBe('/web/plans/dorset/actions/1.3');
    expect(second.body).toContain('Earlier entries, before 51 of 61');
    const byDate = await browser.get(`${next}&order=effective`);
    expect(/href="([^"]+)#history" rel="prev"/.exec(byDate.body)![1]).toBe('/web/plans/dorset/actions/1.3?order=effective');
  });

  it('names each "Correct this entry" link by its entry, so entries recorded in the same minute are told apart by a screen reader', async () => {
    const ledger = await openWeb();
    const manager = await ledger.keyFor('plan-manager');
    for (const narrative of ['Mapping begun', 'Mapping half done'])
      await ledger.call(manager, { method: 'POST', url: '/plans/dorset/actions/1.3/progress-updates', payload: { narrative } });
    const browser = await signedIn(ledger, 'plan-manager');
    const page = await browser.get('/web/plans/dorset/actions/1.3');
    const names = [...page.body.matchAll(/>(Correct this entry<span[^>]*>[^<]*)<\/span><\/a>/g)].map((m) =>
      m[1]!.replace(/<span[^>]*>/, ''),
    );
    expect(names.length).toBeGreaterThanOrEqual(3);
    expect(new Set(names).size).toBe(names.length);
    expect(names.at(-1)).toMatch(/^Correct this entry \(\d+ of \d+: .*\)$/);
  });

  it("names each action's plan by its title on an organisation's page and in the discrepancies, not by its id", async () => {
    const ledger = await openWeb();
    const manager = await ledger.keyFor('plan-manager');
    const rated = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/actions/1.3/progress-updates',
      payload: { narrative: 'On track', reportedRag: { rating: 'Green' } },
    });
    expect(rated.statusCode).toBe(201);
    await ledger.call(manager, { method: 'GET', url: `/plans/dorset?minPosition=${rated.json().position}` });
    const browser = await signedIn(ledger, 'viewer');
    for (const url of ['/web/organisations/Dorset%20Police', '/web/reports/discrepancies']) {
      const page = (await browser.get(url)).body;
      expect(page, url).toContain('(Dorset Crisis Care Concordat action plan)');
      expect(page, url).not.toMatch(/>dorset [\d.]+</);
    }
  });

  it('gives the board a deadlines report with a CSV download whose cells cannot run as formulas', async () => {
    const ledger = await openWeb();
    const manager = await ledger.keyFor('plan-manager');
    await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/actions/1.3/deadline-revisions',
      payload: { to: { kind: 'date', date: '2016-06' }, reason: '=HYPERLINK("http://example.invalid")', effectiveOn: '2015-09' },
    });
    const browser = await signedIn(ledger, 'viewer');
    const page = await browser.get('/web/reports/deadlines?from=2015-01&to=2016-12&organisation=Dorset%20Police');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('led by Dorset Police');
    // Each action is listed once, under the heading of its own outcome, as the API reports it.
    const api = (await ledger.call(manager, { method: 'GET', url: '/reports/deadlines?from=2015-01&to=2016-12' })).json() as {
      actions: { planId: string; ref: string; outcome: string }[];
    };
    const whole = await browser.get('/web/reports/deadlines?from=2015-01&to=2016-12');
    const sections = whole.body.split('<h3 class="nhsuk-heading-s">').slice(1);
    expect(sections).toHaveLength(new Set(api.actions.map((a) => a.outcome)).size);
    for (const { planId, ref } of api.actions)
      expect(whole.body.split(`/plans/${planId}/actions/${ref}"`).length - 1, `links to ${ref}`).toBe(1);
    const csv = await browser.get('/web/reports/deadlines.csv?from=2015-01&to=2016-12');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="deadlines-2015-01-to-2016-12-as-of-[^"]+\.csv"$/);
    expect(csv.body.split('\n')[0]).toMatch(
      /^plan_id,plan,action,text,lead,outcome,original_deadline,current_deadline,completed_on,closed_as,closed_on,closed_after_deadline,/,
    );
    expect(csv.body).toContain('1.3');
    expect(csv.body).not.toMatch(/(^|,)"?=HYPERLINK/m);
    const bad = await browser.get('/web/reports/deadlines?from=2017-13&to=2016-12');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('nhsuk-error-summary');
  });

  it('imports a plan from the browser after showing what it would record, writing nothing until confirmed', async () => {
    const ledger = await openWeb();
    const browser = await signedIn(ledger, 'plan-manager');
    const page = await browser.get('/web/imports');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const plan = JSON.stringify({
      format: 'assurance-ledger-plan',
      version: 1,
      plan: { planId: 'ccg-crisis-line', title: 'CCG crisis line plan', kind: 'other', owner: 'Dorset CCG', date: '2024-10' },
      actions: [
        { ref: '1.1', text: 'Crisis line open all hours', leadOrganisations: ['Dorset CCG'], due: { kind: 'date', date: '2025-03' } },
      ],
    });
    const boundary = '----ledgerform';
    const multipart = [
      `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="document"; filename="plan.json"\r\nContent-Type: application/json\r\n\r\n${plan}\r\n`,
      `--${boundary}--\r\n`,
    ].join('');
    const before = await ledger.store.count();
    const preview = await browser.request({
      method: 'POST',
      url: '/web/imports',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: multipart,
    });
    expect(preview.statusCode, preview.body.slice(0, 600)).toBe(200);
    expect(preview.body).toContain('Nothing has been recorded yet');
    expect(await ledger.store.count()).toBe(before);
    const field = (name: string) =>
      new RegExp(`name="${name}" value="([^"]*)"`).exec(preview.body)![1]!.replaceAll('&#43;', '+').replaceAll('&#x2F;', '/');
    const confirm = await browser.request({
      method: 'POST',
      url: '/web/imports/confirm',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        _csrf: field('_csrf'),
        fileName: field('fileName'),
        sha256: field('sha256'),
        document: field('document'),
      }).toString(),
    });
    expect(confirm.statusCode, confirm.body.slice(0, 600)).toBe(200);
    expect(confirm.body).toContain('Imported');
    expect(await ledger.store.count()).toBeGreaterThan(before);
  });
});
