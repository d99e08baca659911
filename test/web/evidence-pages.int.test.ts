import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import * as sample from '../evidence/sample-files.ts';
import { browserFor, csrfOf } from './web-support.ts';

const open = useSecuredLedger();

describe('evidence files on the pages', () => {
  it('attaches a file from the action page, lists it with a download, and shows a refused file on the form writing nothing', async () => {
    const ledger = await open({}, { web: {} });
    await seedDorsetPlan(ledger);
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('contributor', 'Dorset CCG'));
    const action = await browser.get('/web/plans/dorset/actions/1.3');
    expect(action.body).toContain('href="/web/plans/dorset/actions/1.3/evidence-files"');

    const post = async (content: Buffer, name: string, type = 'application/octet-stream') => {
      const token = csrfOf((await browser.get('/web/plans/dorset/actions/1.3/evidence-files')).body);
      const body = await sample.multipart({ content, name, type }, { _csrf: token, title: 'Ratified policy' });
      return browser.request({ method: 'POST', url: '/web/plans/dorset/actions/1.3/evidence-files', ...body });
    };
    const before = await ledger.store.count();
    const gif = await post(sample.gif(), 'scan.gif');
    expect(gif.statusCode).toBe(415);
    expect(gif.body).toContain('nhsuk-error-summary');
    expect(gif.body).toContain('value="Ratified policy"');
    const empty = await post(Buffer.alloc(0), 'empty.pdf');
    expect(empty.statusCode).toBe(422);
    expect(await ledger.store.count()).toBe(before);
    expect((await collectAll(ledger.blobs.list())).length).toBe(0);

    const pdf = sample.pdf('Ratified policy');
    const attached = await post(pdf, 'policy.pdf');
    expect(attached.statusCode, attached.body.slice(0, 400)).toBe(303);
    expect(attached.headers.location).toBe('/web/plans/dorset/actions/1.3');
    expect(await ledger.store.count()).toBe(before + 1);
    await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000);
    const sha256 = sample.sha256Of(pdf);
    const listed = await browser.get('/web/plans/dorset/actions/1.3');
    expect(listed.body).toContain(`href="/web/plans/dorset/evidence-files/${sha256}"`);
    const download = await browser.get(`/web/plans/dorset/evidence-files/${sha256}`);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload).toEqual(pdf);
    expect(download.headers['content-disposition']).toBe('attachment; filename="policy.pdf"');
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers.etag).toBe(`"${sha256}"`);
  });
});

const collectAll = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
};
