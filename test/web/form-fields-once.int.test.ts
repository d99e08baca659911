import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger, type SecuredLedger } from '../support/access.ts';
import { render } from '../import/fixtures/plan-fixtures.ts';
import { browserFor, csrfOf, formAsBrowserSends, hiddenFieldsOf, type Browser } from './web-support.ts';

const open = useSecuredLedger();
const TWICE = /The form field &quot;(\w[\w-]*)&quot; is given twice; send each field once/;

const signedIn = async (role: 'plan-manager' | 'contributor' = 'plan-manager'): Promise<{ ledger: SecuredLedger; browser: Browser }> => {
  const ledger = await open({}, { web: {} });
  await seedDorsetPlan(ledger);
  const browser = browserFor(ledger);
  await browser.signIn(await ledger.keyFor(role, 'Dorset CCG'));
  return { ledger, browser };
};

/** A urlencoded form as sent, names in the order given and as often as given (a tool, or a page's script, may repeat one). */
const postPairs = (browser: Browser, url: string, pairs: [string, string][]) =>
  browser.request({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(pairs).toString(),
  });

/** A multipart form as a browser builds it: text fields as given, then the files. */
const postMultipart = async (browser: Browser, url: string, fields: [string, string][], files: [string, string, Buffer][]) => {
  const form = new FormData();
  for (const [name, value] of fields) form.append(name, value);
  for (const [name, fileName, bytes] of files) form.append(name, new Blob([new Uint8Array(bytes)]), fileName);
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return browser.request({
    method: 'POST',
    url,
    headers: { 'content-type': request.headers.get('content-type')! },
    payload: Buffer.from(await request.arrayBuffer()),
  });
};

/** The page refused the form on the form itself: 400, its error summary naming the field, linking `href`. */
const refusedOnForm = (res: { statusCode: number; body: string }, field: string, href: string) => {
  expect(res.statusCode, res.body.slice(0, 300)).toBe(400);
  expect(res.body).toContain('nhsuk-error-summary');
  expect(TWICE.exec(res.body)?.[1]).toBe(field);
  expect(res.body).toContain(`href="${href}"`);
};

const ACTION_FORM = '/web/plans/dorset/actions/1.3/progress-update';

describe('a page form field given twice is refused on the form, by the API rule, and nothing is written', () => {
  it('an action form with its text, a date box or its hidden revision twice shows the error at that field', async () => {
    const { ledger, browser } = await signedIn();
    const before = await ledger.store.count();
    const page = (await browser.get(ACTION_FORM)).body;
    const fields: [string, string][] = [
      ['_csrf', csrfOf(page)],
      ...Object.entries(hiddenFieldsOf(page)),
      ['narrative', 'Directory published'],
      ['effectiveOn-month', '8'],
      ['effectiveOn-year', '2017'],
    ];
    for (const [name, second, href] of [
      ['narrative', 'Directory withdrawn', '#narrative'],
      ['effectiveOn-year', '2018', '#effectiveOn-day'],
      ['revision', '0', '#narrative'],
    ] as const) {
      const res = await postPairs(browser, ACTION_FORM, [...fields, [name, second]]);
      refusedOnForm(res, name, href);
      // Shown again as first filled in, to send once.
      expect(res.body).toContain('Directory published</textarea>');
    }
    expect(await ledger.store.count()).toBe(before);
  });

  it('the correction form with its reason twice is refused at the reason', async () => {
    const { ledger, browser } = await signedIn();
    const timeline = await ledger.call(await ledger.keyFor('auditor', 'Inquiry'), { method: 'GET', url: '/plans/dorset/timeline' });
    const eventId = (timeline.json().entries as { type: string; eventId: string }[]).find((e) => e.type === 'ActionAgreed')!.eventId;
    const link = `/web/plans/dorset/corrections/new?eventId=${eventId}`;
    const page = (await browser.get(link)).body;
    const sent = Object.entries({ ...formAsBrowserSends(page, '/web/plans/dorset/corrections/new'), correctionReason: 'Typo' });
    const before = await ledger.store.count();
    const res = await postPairs(browser, link, [['_csrf', csrfOf(page)], ...sent, ['correctionReason', 'Not a typo']]);
    refusedOnForm(res, 'correctionReason', '#correctionReason');
    expect(await ledger.store.count()).toBe(before);
  });

  it('the import upload with its owner or its document twice, and the confirm step with its owner twice, register nothing', async () => {
    const { ledger, browser } = await signedIn();
    const before = await ledger.store.count();
    const document = await render('txt', [
      { p: 'Anyshire crisis line plan, updated May 2018' },
      {
        table: [
          ['No.', 'Action', 'Lead', 'Deadline'],
          ['1.1', 'Open a crisis line', 'Dorset CCG', 'March 2018'],
        ],
      },
    ]);
    const token = () => browser.get('/web/imports').then((page) => csrfOf(page.body));
    const owners = await postMultipart(
      browser,
      '/web/imports',
      [
        ['_csrf', await token()],
        ['owner', 'Dorset Police'],
        ['owner', 'Dorset CCG'],
      ],
      [['document', 'plan.txt', document]],
    );
    refusedOnForm(owners, 'owner', '#owner');
    const documents = await postMultipart(
      browser,
      '/web/imports',
      [
        ['_csrf', await token()],
        ['owner', 'Dorset CCG'],
      ],
      [
        ['document', 'plan.txt', document],
        ['document', 'other.txt', document],
      ],
    );
    refusedOnForm(documents, 'document', '#document');

    const preview = await postMultipart(
      browser,
      '/web/imports',
      [
        ['_csrf', await token()],
        ['owner', 'Dorset CCG'],
      ],
      [['document', 'plan.txt', document]],
    );
    expect(preview.statusCode, preview.body.slice(0, 500)).toBe(200);
    const confirmForm = /<form method="post" action="\/web\/imports\/confirm"[\s\S]*?<\/form>/.exec(preview.body)![0];
    const hidden = [...confirmForm.matchAll(/type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m): [string, string] => [
      m[1]!,
      m[2]!.replaceAll('&#43;', '+').replaceAll('&#x2F;', '/').replaceAll('&#x3D;', '=').replaceAll('&amp;', '&'),
    ]);
    const confirmed = await postPairs(browser, '/web/imports/confirm', [...hidden, ['owner', 'Dorset Police']]);
    refusedOnForm(confirmed, 'owner', '#owner');
    expect(await ledger.store.count()).toBe(before);
  });

  it('an evidence upload with its title twice is refused on the upload form', async () => {
    const { ledger, browser } = await signedIn('contributor');
    const before = await ledger.store.count();
    const token = csrfOf((await browser.get('/web/plans/dorset/actions/1.3/evidence-files')).body);
    const res = await postMultipart(
      browser,
      '/web/plans/dorset/actions/1.3/evidence-files',
      [
        ['_csrf', token],
        ['title', 'Minutes of the board'],
        ['title', 'Draft, not agreed'],
      ],
      [['file', 'minutes.txt', Buffer.from('Board minutes\n')]],
    );
    refusedOnForm(res, 'title', '#file');
    expect(await ledger.store.count()).toBe(before);
  });

  it('sign-in with the key twice is refused on the sign-in form and starts no session', async () => {
    const ledger = await open({}, { web: {} });
    const browser = browserFor(ledger);
    const key = await ledger.keyFor('viewer', 'Dorset CCG');
    const token = csrfOf((await browser.get('/web/sign-in')).body);
    const res = await postPairs(browser, '/web/sign-in', [
      ['_csrf', token],
      ['apiKey', key],
      ['apiKey', key],
    ]);
    refusedOnForm(res, 'apiKey', '#apiKey');
    expect((await browser.get('/web')).statusCode).toBe(303);
  });
});
