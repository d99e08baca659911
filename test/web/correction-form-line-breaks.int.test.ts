import { describe, expect, it } from 'vitest';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor, formAsBrowserSends } from './web-support.ts';

const open = useSecuredLedger();
const formOf = (html: string) => formAsBrowserSends(html, '/web/plans/dorset/corrections/new');

describe('the correction form of a text with line breaks', () => {
  for (const [kept, lineBreak] of [
    ['LF', '\n'],
    ['CRLF (as sent through the API)', '\r\n'],
  ] as const)
    it(`corrects only the date when only the date is changed, though the browser sends the text back with CRLF line breaks (kept as ${kept})`, async () => {
      const ledger = await open({}, { web: {} });
      await seedDorsetPlan(ledger);
      const manager = await ledger.keyFor('plan-manager', 'Dorset CCG');
      const upd = await ledger.call(manager, {
        method: 'POST',
        url: '/plans/dorset/actions/1.3/progress-updates',
        payload: { narrative: `Mapping begun.${lineBreak}Directory drafted.`, effectiveOn: '2015-09' },
      });
      expect(upd.statusCode, upd.body).toBe(201);
      const eventId = upd.json().eventIds[0] as string;
      const browser = browserFor(ledger);
      await browser.signIn(manager);
      const link = `/web/plans/dorset/corrections/new?eventId=${eventId}`;
      const sent = formOf((await browser.get(link)).body);
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
