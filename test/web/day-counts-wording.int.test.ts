import { describe, expect, it } from 'vitest';
import { days } from '../../src/presentation/format.ts';
import { useSecuredLedger } from '../support/access.ts';
import { planOnASetClock } from './plan-on-a-set-clock.ts';
import { browserFor, pageWords as words } from './web-support.ts';

const open = useSecuredLedger();

describe('a count of days on the pages', () => {
  it('reads "1 day" for one, and "days" for any other count', () => {
    expect([days(1), days(2), days(0)]).toEqual(['1 day', '2 days', '0 days']);
  });

  it('says an action one day overdue and one day later than first agreed in the singular, on the plan, action and organisation pages', async () => {
    const { ledger, post, at, caughtUp, registerPlan } = await planOnASetClock(open, '2026-01-05T10:00:00.000Z');
    const { agree } = await registerPlan('days', 'Crisis care action plan');
    await agree('1.1', { kind: 'date', date: '2026-06-29' });
    await agree('1.2', { kind: 'date', date: '2026-06-30' });
    at('2026-02-01T10:00:00.000Z');
    const revise = (ref: string, date: string) =>
      post(`/plans/days/actions/${ref}/deadline-revisions`, {
        to: { kind: 'date', date },
        reason: 'Awaiting a decision',
        effectiveOn: '2026-02-01',
      });
    await revise('1.1', '2026-06-30');
    await revise('1.2', '2026-06-27');
    at('2026-07-05T10:00:00.000Z');
    await caughtUp();
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
    const page = async (url: string) => {
      const res = await browser.get(url);
      expect(res.statusCode).toBe(200);
      return words(res.body);
    };
    // On 1 July the deadline of 30 June is a day behind.
    const plan = await page('/web/plans/days?effectiveOn=2026-07-01');
    expect(plan).toContain('Overdue 1 day');
    expect(plan).not.toContain('1 days');
    const action = await page('/web/plans/days/actions/1.1?effectiveOn=2026-07-01');
    expect(action).toContain('1 day later than first agreed');
    expect(action).toContain('by 1 day Reported RAG');
    expect(action).not.toContain('1 days');
    // A deadline brought forward: earlier than first agreed, by a count of days that is not negative.
    const broughtForward = await page('/web/plans/days/actions/1.2?effectiveOn=2026-07-01');
    expect(broughtForward).toContain('(revised 1 time, 3 days earlier than first agreed)');
    expect(broughtForward).not.toContain('-3 days');
    const organisation = await page('/web/organisations/Dorset%20CCG?effectiveOn=2026-07-01');
    expect(organisation).toContain('Total slippage 1 day');
    expect(organisation).not.toContain('1 days');
  });
});
