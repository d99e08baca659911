import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReadApp, type ReadApp } from './read-app.ts';

/**
 * What the cross-plan views read of an action's events (plan-lines.ts), over a real ledger and read
 * store: the leads and partners in force after lead changes, and "stale" counted from the latest
 * progress update whatever else happened since (docs/projections.md, "Each action").
 */
let r: ReadApp;
const plan = '/plans/leads-plan';
const POLICE = 'Dorset Police';
const COUNCIL = 'Dorset Council';
const FIRE = 'Dorset Fire and Rescue Service';

beforeAll(async () => {
  r = await openReadApp();
  await r.post('/plans', {
    planId: 'leads-plan',
    title: 'Leads plan',
    kind: 'other',
    owner: 'Dorset CCG',
    ragLegend: [],
    effectiveOn: '2026-01',
  });
  await r.post(`${plan}/actions`, {
    ref: '1',
    text: 'Handed on twice',
    leadOrganisations: [FIRE],
    partnerOrganisations: [POLICE],
    due: { kind: 'date', date: '2026-12-10' },
    effectiveOn: '2026-01-10',
  });
  await r.post(`${plan}/actions/1/lead-changes`, { to: [POLICE], partnersTo: [FIRE], effectiveOn: '2026-07-01' });
  await r.post(`${plan}/actions/1/lead-changes`, { to: [COUNCIL], partnersTo: [POLICE], effectiveOn: '2026-08-01' });
  await r.post(`${plan}/actions/1/progress-updates`, { narrative: 'Under way', effectiveOn: '2026-11-01' });
  // Updated in February, its deadline revised in October: no word on the work for more than 90 days.
  await r.post(`${plan}/actions`, {
    ref: '2',
    text: 'Silent since February',
    leadOrganisations: [COUNCIL],
    due: { kind: 'date', date: '2026-12-20' },
    effectiveOn: '2026-01-10',
  });
  await r.post(`${plan}/actions/2/progress-updates`, { narrative: 'Started', effectiveOn: '2026-02-01' });
  await r.post(`${plan}/actions/2/deadline-revisions`, {
    to: { kind: 'date', date: '2027-03' },
    reason: 'Waiting on funding',
    effectiveOn: '2026-10-01',
  });
});
afterAll(() => r.close());

type Row = { organisation: string; actionsLed: number; actionsPartnered: number; stale: number };

describe('the views after an action changes hands', () => {
  it('count it for its leads and partners in force now, not for those it had before', async () => {
    const { organisations } = (await r.get('/organisations')).json() as { organisations: Row[] };
    const byName = Object.fromEntries(organisations.map((o) => [o.organisation, o]));
    expect(byName[COUNCIL]).toMatchObject({ actionsLed: 2, actionsPartnered: 0 });
    expect(byName[POLICE]).toMatchObject({ actionsLed: 0, actionsPartnered: 1 });
    expect(byName[FIRE]).toBeUndefined();
  });

  it("report its deadline under its lead now, when asked for one organisation's", async () => {
    const refs = async (organisation: string) =>
      (
        (await r.get(`/reports/deadlines?from=2026-12&to=2026-12&organisation=${encodeURIComponent(organisation)}`)).json().actions as {
          ref: string;
          outcome: string;
        }[]
      ).map((a) => `${a.ref}:${a.outcome}`);
    expect(await refs(COUNCIL)).toEqual(['1:open', '2:revised']);
    expect(await refs(POLICE)).toEqual([]);
  });
});

describe('a stale action', () => {
  it('stays stale when its deadline is revised without a progress update', async () => {
    const action = ((await r.get('/plans/leads-plan')).json().actions as { ref: string; stale: boolean; lastUpdatedOn: string }[]).find(
      (a) => a.ref === '2',
    )!;
    expect(action).toMatchObject({ stale: true, lastUpdatedOn: '2026-10-01' });
    const council = (await r.get(`/organisations/${encodeURIComponent(COUNCIL)}`)).json();
    expect(council.stale).toBe(1);
    expect(council.actions.filter((a: { stale: boolean }) => a.stale).map((a: { ref: string }) => a.ref)).toEqual(['2']);
  });
});
