import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import * as sample from '../evidence/sample-files.ts';
import { browserFor, csrfOf, dorsetSignedIn } from './web-support.ts';

const open = useSecuredLedger();

describe('evidence files on the pages', () => {
  it('attaches a file from the action page, lists it with a download, and shows a refused file on the form writing nothing', async () => {
    const { ledger, browser } = await dorsetSignedIn(open, 'contributor', 'Dorset CCG');
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

  it('asks for the file when the form is sent without one chosen, writing nothing', async () => {
    const { ledger, browser } = await dorsetSignedIn(open, 'contributor', 'Dorset CCG');
    const before = await ledger.store.count();
    // A browser sends an empty file input as a part with an empty name and no bytes; a form may also lack the part.
    for (const file of [{ content: Buffer.alloc(0), name: '' }, undefined]) {
      const token = csrfOf((await browser.get('/web/plans/dorset/actions/1.3/evidence-files')).body);
      const body = await sample.multipart(file, { _csrf: token, title: 'Ratified policy' });
      const sent = await browser.request({ method: 'POST', url: '/web/plans/dorset/actions/1.3/evidence-files', ...body });
      expect(sent.statusCode).toBe(400);
      expect(sent.body).toContain('Choose the file to attach');
      expect(sent.body).toContain('value="Ratified policy"');
    }
    expect(await ledger.store.count()).toBe(before);
  });

  it('answers a download of an erased file, or of one no plan lists, with a page saying why, and a form for no action with 404', async () => {
    const ledger = await open({}, { web: {} });
    const { manager } = await seedDorsetPlan(ledger);
    const pdf = sample.pdf('Shows a patient');
    const sha256 = sample.sha256Of(pdf);
    const body = await sample.multipart({ content: pdf, name: 'scan.pdf', type: 'application/pdf' });
    const attached = await ledger.call(manager, { method: 'POST', url: '/plans/dorset/actions/1.3/evidence-files', ...body });
    expect(attached.statusCode, attached.body).toBe(201);
    const before = new Date(Date.now() + 5).toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const erased = await ledger.call(manager, {
      method: 'POST',
      url: `/plans/dorset/evidence-files/${sha256}/erasure`,
      payload: { reason: 'Shows a patient' },
    });
    expect(erased.statusCode, erased.body).toBe(201);
    await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000);
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('contributor', 'Dorset CCG'));
    // Read as it stood before the erasure, the action lists the file with its download, as it then did.
    const then = await browser.get(`/web/plans/dorset/actions/1.3?asOf=${encodeURIComponent(before)}`);
    expect(then.body).toContain(`href="/web/plans/dorset/evidence-files/${sha256}`);
    const events = await ledger.store.count();

    const gone = await browser.get(`/web/plans/dorset/evidence-files/${sha256}`);
    expect(gone.statusCode).toBe(410);
    expect(gone.body).toContain('This file&#39;s content was erased');
    expect(gone.body).not.toContain('problem with the service');
    for (const url of [
      `/web/plans/nowhere/evidence-files/${sha256}`,
      '/web/plans/dorset/evidence-files/abc',
      `/web/plans/dorset/evidence-files/${'0'.repeat(64)}`,
      '/web/plans/NOPE/actions/1.3/evidence-files',
      '/web/plans/dorset/actions/9.9/evidence-files',
      '/web/plans/dorset/actions/%21bad/evidence-files',
    ]) {
      const page = await browser.get(url);
      expect(page.statusCode, url).toBe(404);
      expect(page.body, url).toContain('nhsuk-heading-l');
      expect(page.body, url).not.toContain('problem with the service');
    }
    expect(await ledger.store.count()).toBe(events);
  });
});

const collectAll = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
};
