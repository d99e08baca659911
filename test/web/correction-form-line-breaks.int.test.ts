import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor } from './web-support.ts';

const open = useSecuredLedger();
const unescape = (t: string) =>
  t
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
/** The form as a browser submits it untouched: a textarea's line breaks go as CRLF (HTML's form submission). */
const asBrowserSends = (html: string): Record<string, string> => {
  const start = html.indexOf('<form method="post" action="/web/plans/dorset/corrections/new');
  const form = html.slice(start, html.indexOf('</form>', start));
  const values: Record<string, string> = {};
  for (const input of form.matchAll(/<input\b[^>]*>/g)) {
    const name = /\bname="([^"]+)"/.exec(input[0])?.[1];
    if (name && name !== '_csrf') values[name] = unescape(/\bvalue="([^"]*)"/.exec(input[0])?.[1] ?? '');
  }
  for (const area of form.matchAll(/<textarea\b[^>]*\bname="([^"]+)"[^>]*>([^<]*)<\/textarea>/g))
    values[area[1]!] = unescape(area[2]!).replace(/^\n/, '').replace(/\r?\n/g, '\r\n');
  return values;
};

describe('the correction form of a text with line breaks', () => {
  it('corrects only the date when only the date is changed, though the browser sends the text back with CRLF line breaks', async () => {
    const ledger = await open({}, { web: {} });
    await seedDorsetPlan(ledger);
    const manager = await ledger.keyFor('plan-manager', 'Dorset CCG');
    const upd = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/actions/1.3/progress-updates',
      payload: { narrative: 'Mapping begun.\nDirectory drafted.', effectiveOn: '2015-09' },
    });
    expect(upd.statusCode, upd.body).toBe(201);
    const eventId = upd.json().eventIds[0] as string;
    const browser = browserFor(ledger);
    await browser.signIn(manager);
    const link = `/web/plans/dorset/corrections/new?eventId=${eventId}`;
    const sent = asBrowserSends((await browser.get(link)).body);
    const res = await browser.submit(link, link, {
      ...sent,
      'correctedEffectiveOn-month': '10',
      'correctedEffectiveOn-year': '2015',
      correctionReason: 'It was the October report',
    });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(303);
    const timeline = (await ledger.call(manager, { method: 'GET', url: '/plans/dorset/timeline' })).json();
    const latest = (timeline.entries as { type: string; changes: { field: string }[] }[])
      .filter((e) => e.type === 'EntryCorrected')
      .at(-1)!;
    expect(latest.changes.map((c) => c.field)).toEqual(['effectiveOn']);
  });
});
