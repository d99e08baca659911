import { describe, expect, it } from 'vitest';
import type { EventStore } from '../../src/store/port.ts';
import { seedDorsetPlan, useSecuredLedger, type SecuredLedger } from '../support/access.ts';
import { render, type FixtureBlock } from '../import/fixtures/plan-fixtures.ts';
import { browserFor, csrfOf, type Browser, dorsetSignedIn } from './web-support.ts';

/** A Word plan with a column nobody knows and a date that does not exist: the import gate holds it for a decision. */
const FLAWED: FixtureBlock[] = [
  { p: 'Dorset crisis line plan, updated May 2018' },
  {
    table: [
      ['Theme', 'No.', 'Action', 'Lead', 'Deadline'],
      ['Access', '1.1', 'Open a crisis line', 'Dorset CCG', 'March 2018'],
      ['', '1.2', 'Map services', 'Dorset CCG', '30 February 2018'],
    ],
  },
];
const UNDATED: FixtureBlock[] = [
  {
    table: [
      ['No.', 'Action', 'Lead'],
      ['1.1', 'Open a crisis line', 'Dorset CCG'],
    ],
  },
];

const open = useSecuredLedger();
const signedInManager = async (): Promise<{ ledger: SecuredLedger; browser: Browser }> => {
  const { ledger, browser } = await dorsetSignedIn(open, 'plan-manager', 'Dorset CCG');
  return { ledger, browser };
};

const unescape = (value: string) =>
  value.replaceAll('&#43;', '+').replaceAll('&#x2F;', '/').replaceAll('&#x3D;', '=').replaceAll('&amp;', '&').replaceAll('&quot;', '"');

/** Posts the upload form as a browser does: multipart, with the page's CSRF token and any text fields. */
const upload = async (browser: Browser, fileName: string, bytes: Buffer, fields: Record<string, string> = {}) => {
  const page = (await browser.get('/web/imports')).body;
  const form = new FormData();
  form.append('_csrf', csrfOf(page));
  // The owner field comes prefilled with the person's organisation; a browser sends it as it stands.
  const owner = unescape(/name="owner" type="text" spellcheck="false" value="([^"]*)"/.exec(page)![1]!);
  for (const [name, value] of Object.entries({ owner, ...fields })) form.append(name, value);
  form.append('document', new Blob([new Uint8Array(bytes)]), fileName);
  const request = new Request('http://localhost/web/imports', { method: 'POST', body: form });
  return browser.request({
    method: 'POST',
    url: '/web/imports',
    headers: { 'content-type': request.headers.get('content-type')! },
    payload: Buffer.from(await request.arrayBuffer()),
  });
};

/** The confirm form's hidden fields, as the browser would send them back. */
const confirmFields = (html: string) => {
  const form = /<form method="post" action="\/web\/imports\/confirm"[\s\S]*?<\/form>/.exec(html)![0];
  return Object.fromEntries([...form.matchAll(/type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, unescape(m[2]!)]));
};
const confirm = (browser: Browser, fields: Record<string, string>) =>
  browser.request({
    method: 'POST',
    url: '/web/imports/confirm',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  });

describe('the import page', () => {
  it('shows a Word original row by row, marks the warnings that need a decision, and records nothing until they are accepted', async () => {
    const { ledger, browser } = await signedInManager();
    const before = await ledger.store.count();
    const preview = await upload(browser, 'crisis-line.docx', await render('docx', FLAWED));
    expect(preview.statusCode, /nhsuk-error-summary[\s\S]{0,900}/.exec(preview.body)?.[0]).toBe(200);
    expect(preview.body).toContain('Row by row');
    expect(preview.body).toContain('table 1, row 2');
    expect(preview.body).toContain('Open a crisis line');
    expect(preview.body).toMatch(/Needs a decision<\/strong> table 1, row 1, cell 1: the column headed &quot;Theme&quot;/);
    expect(preview.body).toContain('name="acceptWarnings"');
    expect(await ledger.store.count()).toBe(before);

    const fields = confirmFields(preview.body);
    const held = await confirm(browser, fields);
    expect(held.statusCode).toBe(422);
    expect(held.body).toContain('nhsuk-error-summary');
    expect(held.body).toContain('href="#acceptWarnings"');
    expect(await ledger.store.count()).toBe(before);

    const accepted = await confirm(browser, { ...confirmFields(held.body), acceptWarnings: 'yes' });
    expect(accepted.statusCode, accepted.body.slice(0, 800)).toBe(200);
    expect(accepted.body).toContain('Imported');
    expect(await ledger.store.count()).toBeGreaterThan(before);
  });

  it('asks for the date an undated document speaks as of, in its own words, and dates the facts by it', async () => {
    const { ledger, browser } = await signedInManager();
    const before = await ledger.store.count();
    const content = await render('docx', UNDATED);
    const refused = await upload(browser, 'undated.docx', content);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('href="#effectiveOn"');
    expect(refused.body).not.toContain('--effective-on');
    expect(await ledger.store.count()).toBe(before);

    const notADate = await upload(browser, 'undated.docx', content, { effectiveOn: '2018-02-30' });
    expect(notADate.statusCode).toBe(400);
    expect(notADate.body).toContain('id="effectiveOn-error"');
    expect(await ledger.store.count()).toBe(before);

    const preview = await upload(browser, 'undated.docx', content, { effectiveOn: '2018-05' });
    expect(preview.statusCode, preview.body.slice(0, 800)).toBe(200);
    const fields = confirmFields(preview.body);
    expect(fields.effectiveOn).toBe('2018-05');
    const recorded = await confirm(browser, fields);
    expect(recorded.statusCode, recorded.body.slice(0, 800)).toBe(200);
    const recordedFacts: string[] = [];
    for await (const event of ledger.store.readAll())
      recordedFacts.push(JSON.stringify(event, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
    const actionAgreed = recordedFacts.filter((e) => e.includes('Open a crisis line')).at(-1)!;
    expect(actionAgreed).toContain('"effectiveOn":{"date":"2018-05"');
  });
});

describe('the import page when another import of the same file records it first', () => {
  it('says the file was already imported and nothing was recorded, not that it recorded none', async () => {
    // Another instance importing the same file at the same moment plans the same batch against the same plan revision,
    // under the same command id, and appends it first: the page's append then meets that batch in the real ledger.
    let otherInstanceFirst = false;
    let countAfterOther: number | undefined;
    const ledger = await open(
      {},
      {
        web: {},
        wrapStore: (store) =>
          Object.assign(Object.create(store) as EventStore, {
            append: async (request: Parameters<EventStore['append']>[0]) => {
              if (otherInstanceFirst) {
                otherInstanceFirst = false;
                await store.append(request);
                countAfterOther = await store.count();
              }
              return store.append(request);
            },
          }),
      },
    );
    await seedDorsetPlan(ledger);
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('plan-manager', 'Dorset CCG'));
    const preview = await upload(browser, 'undated.docx', await render('docx', UNDATED), { effectiveOn: '2018-05' });
    expect(preview.statusCode, preview.body.slice(0, 800)).toBe(200);
    const before = await ledger.store.count();
    otherInstanceFirst = true;

    const page = await confirm(browser, confirmFields(preview.body));

    expect(countAfterOther).toBeGreaterThan(before);
    expect(page.statusCode, page.body.slice(0, 800)).toBe(200);
    expect(page.body).toContain('<h1 class="nhsuk-panel__title">Already imported</h1>');
    expect(page.body).toContain('Nothing was recorded from undated.docx');
    expect(page.body).not.toContain('entries recorded');
    expect(await ledger.store.count()).toBe(countAfterOther);
  });
});
