import { describe, expect, it } from 'vitest';
import { useSecuredLedger } from '../support/access.ts';
import { csrfOf, dorsetSignedIn } from './web-support.ts';

const open = useSecuredLedger();

const CSV = [
  'type,ref,text,leads,date,timescale,due,section,rag',
  'plan,crisis-line,Crisis line plan,Dorset CCG,2016-01,,,,',
  'section,1,Access,,2016-01,,,,',
  'action,1.1,Open a crisis line,Dorset CCG,2016-01,March 2016,2016-03,1,',
  'update,1.1,Line staffed,,2016-02,,,,Amber',
  '',
].join('\n');

/** The import page's table of counts: each row's first cell, and its numbers. */
const countRows = (html: string) => {
  const table = /<caption class="nhsuk-table__caption">What the document holds[\s\S]*?<\/table>/.exec(html)![0];
  return [...table.matchAll(/<tr class="nhsuk-table__row"><td[^>]*>([^<]*)<\/td><td[^>]*>([^<]*)<\/td><td[^>]*>([^<]*)<\/td><\/tr>/g)].map(
    (m) => `${m[1]} ${m[2]} ${m[3]}`.trim(),
  );
};

describe("the import page's counts", () => {
  it('names each kind of fact in words, as the command line does, not by its field name', async () => {
    const { browser } = await dorsetSignedIn(open, 'plan-manager', 'Dorset CCG');
    const form = new FormData();
    form.append('_csrf', csrfOf((await browser.get('/web/imports')).body));
    form.append('owner', 'Dorset CCG');
    form.append('document', new Blob([CSV]), 'crisis-line.csv');
    const request = new Request('http://localhost/web/imports', { method: 'POST', body: form });
    const res = await browser.request({
      method: 'POST',
      url: '/web/imports',
      headers: { 'content-type': request.headers.get('content-type')! },
      payload: Buffer.from(await request.arrayBuffer()),
    });
    expect(res.statusCode, res.body.slice(0, 2000)).toBe(200);
    expect(countRows(res.body)).toEqual([
      'Plans 1 1',
      'Sections 1 1',
      'Recommendations 0 0',
      'Actions 1 1',
      'Progress updates 1 1',
      'Deadline revisions 0 0',
      'Completions 0 0',
      'Subsumptions 0 0',
      'Withdrawals 0 0',
      'Links between actions 0 0',
      'Lead changes 0 0',
      'Glossary terms 0',
      'Organisations named 0',
    ]);
  });
});
