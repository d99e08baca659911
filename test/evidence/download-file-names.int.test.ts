import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor } from '../web/web-support.ts';
import * as sample from './sample-files.ts';

const open = useSecuredLedger();
/** What a client reading only `filename` may take from the header: printable ASCII, nothing it must guess the encoding of. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

describe('a download named with letters beyond ASCII', () => {
  it('offers the name in UTF-8 as filename* and in ASCII as filename, from the API and the pages alike', async () => {
    const ledger = await open({}, { web: {} });
    await seedDorsetPlan(ledger);
    const contributor = await ledger.keyFor('contributor', 'Dorset CCG');
    const content = Buffer.from('Procès-verbal de la réunion\n');
    const body = await sample.multipart({ content, name: 'Procès-verbal réunion.txt', type: 'text/plain' }, { title: 'Minutes' });
    const attached = await ledger.call(contributor, {
      method: 'POST',
      url: '/plans/dorset/actions/1.3/evidence-files',
      payload: body.payload,
      headers: body.headers,
    });
    expect(attached.statusCode, attached.body).toBe(201);
    const sha256 = sample.sha256Of(content);
    const expected = `attachment; filename="Proces-verbal reunion.txt"; filename*=UTF-8''Proc%C3%A8s-verbal%20r%C3%A9union.txt`;

    const api = await ledger.call(contributor, { method: 'GET', url: `/plans/dorset/evidence-files/${sha256}` });
    expect(api.statusCode).toBe(200);
    expect(api.headers['content-disposition']).toBe(expected);
    expect(api.headers['content-disposition']).toMatch(PRINTABLE_ASCII);

    const browser = browserFor(ledger);
    await browser.signIn(contributor);
    const page = await browser.get(`/web/plans/dorset/evidence-files/${sha256}`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-disposition']).toBe(expected);
  });

  it('names a signed view of an organisation with an accent in its name in ASCII too', async () => {
    const ledger = await open();
    await seedDorsetPlan(ledger);
    const manager = await ledger.keyFor('plan-manager', 'Dorset CCG');
    const add = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/actions',
      payload: {
        ref: '3.1',
        text: 'Joint working',
        leadOrganisations: ['Société Jersiaise'],
        due: { kind: 'date', date: '2015-10', wording: 'October 2015' },
        effectiveOn: '2015-06',
      },
    });
    expect(add.statusCode, add.body).toBe(201);
    const res = await ledger.call(await ledger.keyFor('auditor', 'Inquiry'), {
      method: 'GET',
      url: `/signed-views/organisation?subject=${encodeURIComponent('Société Jersiaise')}`,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toMatch(PRINTABLE_ASCII);
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="organisation-Societe Jersiaise-as-of-[^"]+"; filename\*=UTF-8''organisation-Soci%C3%A9t%C3%A9%20Jersiaise-as-of-/,
    );
  });
});
