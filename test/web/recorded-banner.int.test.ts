import { describe, expect, it } from 'vitest';
import { useSecuredLedger } from '../support/access.ts';
import { dorsetSignedIn } from './web-support.ts';

const open = useSecuredLedger();

describe('the "Recorded" banner of an action page', () => {
  it('says something was recorded only for what a form records, and only on the present-day page', async () => {
    const { browser } = await dorsetSignedIn(open, 'viewer', 'Dorset CCG');
    // Where a form sends the person after recording: the banner, in the form's own words.
    const after = await browser.get('/web/plans/dorset/actions/1.3?recorded=progress-update');
    expect(after.body).toContain('Your progress update is in the ledger');
    // An address anyone can type or send: no words of its own on the page, and no success for what nobody recorded.
    const forged = await browser.get('/web/plans/dorset/actions/1.3?recorded=completion-signed-off-by-the-board');
    expect(forged.statusCode).toBe(200);
    expect(forged.body).not.toContain('signed off by the board');
    expect(forged.body).not.toContain('is in the ledger');
    // A page of the past holds nothing recorded now, so it never says that what was just recorded is shown below.
    const past = await browser.get('/web/plans/dorset/actions/1.3?recorded=progress-update&effectiveOn=2015-08');
    expect(past.statusCode).toBe(200);
    expect(past.body).toContain('You are looking at the past');
    expect(past.body).not.toContain('is in the ledger');
  });

  it('says nothing was just recorded on a page answering 400 for a date it cannot read', async () => {
    const { browser } = await dorsetSignedIn(open, 'viewer', 'Dorset CCG');
    // The present under an error summary: a page about the date typed, not the one a form sends the person back to.
    for (const dates of ['asOf=garbage', 'effectiveOn=2015-13', 'asOf=garbage&effectiveOn=2015-08']) {
      const res = await browser.get(`/web/plans/dorset/actions/1.3?recorded=progress-update&${dates}`);
      expect(res.statusCode, dates).toBe(400);
      expect(res.body, dates).toContain('nhsuk-error-summary');
      expect(res.body, dates).not.toContain('is in the ledger');
    }
  });
});
