import { describe, expect, it } from 'vitest';
import { planStream } from '../../events/streams.ts';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { browserFor } from './web-support.ts';

const open = useSecuredLedger();

describe('the home page, since the last visit', () => {
  it("lists what was recorded since, a correction saying of which action and what it changed, as the plan's history does", async () => {
    const ledger = await open({}, { web: {} });
    const { manager } = await seedDorsetPlan(ledger);
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
    expect((await browser.get('/web/')).statusCode).toBe(200); // the visit the next one counts from

    let agreed = '';
    for await (const e of ledger.store.readStream(planStream('dorset')))
      if (e.type === 'ActionAgreed' && (e.data as { ref: string }).ref === '2.1') agreed = e.eventId;
    const res = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/corrections',
      payload: { correctedEventId: agreed, changes: { text: 'Section 136 protocol, agreed with the police' }, reason: 'Minuted wording' },
    });
    expect(res.statusCode, res.body).toBe(201);

    const home = await browser.get('/web/');
    const since = home.body.slice(home.body.indexOf('id="since-heading"'));
    expect(since).toContain(
      'Correction of an earlier agreement of an action (action 2.1): text from &quot;Section 136 protocol&quot; to ' +
        '&quot;Section 136 protocol, agreed with the police&quot;',
    );
  });

  it('keeps what was recorded since the last visit for the next visit when the home page answers 400 for a date it cannot read', async () => {
    const ledger = await open({}, { web: {} });
    const { manager } = await seedDorsetPlan(ledger);
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('viewer', 'Dorset CCG'));
    expect((await browser.get('/web/')).statusCode).toBe(200); // the visit the next one counts from
    const res = await ledger.call(manager, {
      method: 'POST',
      url: '/plans/dorset/actions/1.3/progress-updates',
      payload: { narrative: 'Mapping under way', effectiveOn: '2017-05' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const seen = browser.jar.get('al_seen');

    // A page about the date typed, not a visit to the present: the cookie stays where the last visit left it.
    for (const dates of ['asOf=garbage', 'effectiveOn=2015-13']) {
      const refused = await browser.get(`/web/?${dates}`);
      expect(refused.statusCode, dates).toBe(400);
      expect(refused.body, dates).toContain('1 entry recorded'); // the present, shown under the error, list and all
      expect(browser.jar.get('al_seen'), dates).toBe(seen);
    }
    // Back at the present, the update is still there to be seen, and that visit is the one that counts.
    const home = await browser.get('/web/');
    expect(home.statusCode).toBe(200);
    const since = home.body.slice(home.body.indexOf('id="since-heading"'));
    expect(since).toContain('1 entry recorded');
    expect(browser.jar.get('al_seen')).not.toBe(seen);
  });
});
