import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordDorsetPlan, T } from './dorset-scenario.ts';
import { openReadApp, type ReadApp } from './read-app.ts';

const PLAN_TITLE = 'Dorset Crisis Care Concordat action plan';

let r: ReadApp;
let agreedActionEventId: string;
beforeAll(async () => {
  r = await openReadApp();
  ({ agreedActionEventId } = await recordDorsetPlan(r));
});
afterAll(() => r.close());

const SWAST = 'South Western Ambulance Service NHS Foundation Trust';
const CCG = 'NHS Dorset Clinical Commissioning Group';

const expectRefused = async (url: string, status: number, code: string, mentions?: string) => {
  const before = await r.store.count();
  const res = await r.app.inject({ method: 'GET', url });
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json().code).toBe(code);
  if (mentions) expect(res.body).toContain(mentions);
  expect(await r.store.count()).toBe(before);
};

describe('accountability', () => {
  it('counts each organisation once under its canonical name, whatever the documents called it', async () => {
    const { organisations } = (await r.get('/organisations')).json();
    const byName = Object.fromEntries(organisations.map((o: { organisation: string }) => [o.organisation, o]));
    expect(byName[SWAST]).toMatchObject({
      actionsLed: 1,
      actionsPartnered: 1,
      open: 1,
      dueWithin30Days: 1,
      overdue: 0,
      recommendationsAwaitingAssurance: 1,
    });
    expect(byName[CCG]).toMatchObject({ actionsLed: 1, open: 1, overdue: 1, totalSlippageDays: 882, stale: 1 });
    expect(byName['Dorset Police']).toMatchObject({
      actionsLed: 1,
      completedLateAgainstCurrent: 1,
      completedLateAgainstOriginal: 1,
      open: 0,
    });
    expect(Object.keys(byName)).not.toContain('SWASFT');
  });

  it('answers for an organisation by any alias, with the actions behind the figures, each naming its plan by id and title', async () => {
    for (const alias of ['SWASFT', 'swast', 'South West Ambulance Service Foundation Trust']) {
      const res = await r.get(`/organisations/${encodeURIComponent(alias)}`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ organisation: SWAST, actionsLed: 1 });
    }
    const account = (await r.get('/organisations/SWAST')).json();
    expect(account.actions.map((a: { ref: string; role: string }) => `${a.ref}:${a.role}`).sort()).toEqual(['1.3:partner', '1.4:lead']);
    expect(account.actions.map((a: { planTitle: string }) => a.planTitle)).toEqual([PLAN_TITLE, PLAN_TITLE]);
    expect(account.awaitingAssurance).toEqual([
      { planId: 'dorset-ccc', planTitle: PLAN_TITLE, ref: 'R1', text: 'Street triage in every locality', judgement: null },
    ]);
  });

  it('lists a recommendation judged only partially assured as awaiting assurance, with its judgement', async () => {
    await r.post('/plans/dorset-ccc/recommendations/R1/assurances', {
      judgement: 'partially-assured',
      assuredBy: 'Crisis Care Concordat Board',
      rationale: 'Live in two localities of three',
    });
    const account = (await r.get('/organisations/SWAST')).json();
    expect(account.recommendationsAwaitingAssurance).toBe(1);
    expect(account.awaitingAssurance).toMatchObject([{ ref: 'R1', judgement: 'partially-assured' }]);
  });

  it("marks which of an organisation's actions are stale, so its stale count is the led rows so marked", async () => {
    const organisations = (await r.get('/organisations')).json().organisations as { organisation: string; stale: number }[];
    expect(organisations.some((o) => o.stale > 0)).toBe(true);
    for (const { organisation, stale } of organisations) {
      const account = (await r.get(`/organisations/${encodeURIComponent(organisation)}`)).json();
      const rows = account.actions as { role: string; stale: boolean }[];
      expect(rows.every((a) => typeof a.stale === 'boolean')).toBe(true);
      expect(rows.filter((a) => a.role === 'lead' && a.stale).length, organisation).toBe(stale);
    }
  });

  it('answers as of an instant, and refuses an unknown organisation', async () => {
    const early = (await r.get('/organisations?asOf=2026-01-05T09:10:00Z')).json();
    expect(early.organisations).toEqual([]);
    await expectRefused('/organisations/Nobody%20Trust', 404, 'organisation-not-found', 'Nobody Trust');
    // At a clock, the refusal says which: the organisation may be named later.
    await expectRefused('/organisations/SWAST?effectiveOn=2014-01', 404, 'organisation-not-found', 'with effect by 2014-01');
    // No recorded name holds a control character: a name that does is refused as such, not looked for.
    await expectRefused('/organisations/SWAST%00', 400, 'validation-failed', 'must not hold control characters');
    // Any business date a write takes can be read at, year 0000 too (the calendar is proleptic).
    const yearZero = await r.get('/organisations?effectiveOn=0000-01');
    expect(yearZero.statusCode).toBe(200);
    expect(yearZero.json()).toMatchObject({ effectiveOn: '0000-01', organisations: [] });
  });
});

describe('GET /reports/deadlines', () => {
  it('reports a deadline revised out of the window with its reason and who agreed it', async () => {
    const report = (await r.get('/reports/deadlines?from=2015-10&to=2015-10')).json();
    expect(report).toMatchObject({ from: '2015-10-01', to: '2015-10-31', totals: { revised: 1, met: 0, missed: 0 } });
    expect(report.actions[0]).toMatchObject({
      ref: '1.3',
      outcome: 'revised',
      revisions: [{ reason: 'Pilot delayed by recruitment', agreedBy: 'Crisis Care Concordat Board', recordedBy: 'Sam Auditor' }],
    });
  });

  it('reports missed, open and late deadlines in the window, optionally for one organisation', async () => {
    const all = (await r.get('/reports/deadlines?from=2016-01-01&to=2026-12-31')).json();
    expect(Object.fromEntries(all.actions.map((a: { ref: string; outcome: string }) => [a.ref, a.outcome]))).toEqual({
      '1.3': 'missed',
      '1.4': 'open',
      '1.5': 'missed',
    });
    const swast = (await r.get('/reports/deadlines?from=2016-01-01&to=2026-12-31&organisation=SWASFT')).json();
    expect(swast.actions.map((a: { ref: string }) => a.ref)).toEqual(['1.4']);
    expect(swast.organisation).toBe(SWAST);
  });

  it('reports the current quarter in London when no window is given, and says so', async () => {
    const report = (await r.get('/reports/deadlines')).json();
    expect(report).toMatchObject({ period: 'current-quarter', from: '2026-10-01', to: '2026-12-31', today: '2026-11-23' });
    expect(report.actions.map((a: { ref: string; outcome: string }) => `${a.ref}:${a.outcome}`)).toEqual(['1.4:open']);
    expect((await r.get('/reports/deadlines?from=2026-10&to=2026-12')).json()).toMatchObject({ ...report, period: 'requested' });
    // 23:30 on 31 March in UTC is already 1 April in London (summer time): the next quarter.
    const asOf = (await r.get('/reports/deadlines?asOf=2026-03-31T23:30:00Z')).json();
    expect(asOf).toMatchObject({ period: 'current-quarter', from: '2026-04-01', to: '2026-06-30', asOf: '2026-03-31T23:30:00.000Z' });
  });

  it('refuses half a window, naming the missing end', async () => {
    await expectRefused('/reports/deadlines?to=2017-12', 400, 'validation-failed', 'querystring.from');
    await expectRefused('/reports/deadlines?from=2017-01', 400, 'validation-failed', 'or neither for the current quarter');
  });

  it('refuses from after to naming from, a malformed date naming it, and an unknown organisation', async () => {
    await expectRefused('/reports/deadlines?from=2017-01&to=2016-12', 400, 'invalid-window', 'from');
    await expectRefused('/reports/deadlines?from=2017-02-30&to=2017-12', 400, 'validation-failed', 'querystring.from');
    await expectRefused('/reports/deadlines?from=2017-01', 400, 'validation-failed', 'to');
    await expectRefused('/reports/deadlines?from=2016-01&to=2016-12&organisation=Nobody', 404, 'organisation-not-found');
    await expectRefused('/reports/deadlines?from=2016-01&to=2016-12&organisation=%1B', 400, 'validation-failed', 'control characters');
  });
});

describe('GET /reports/discrepancies', () => {
  it('finds green-but-overdue, completed-without-evidence and updates typed in long after the fact, each naming its plan by id and title', async () => {
    const found = (await r.get('/reports/discrepancies')).json();
    expect(found.greenButOverdue).toEqual([
      expect.objectContaining({ planId: 'dorset-ccc', planTitle: PLAN_TITLE, ref: '1.3', reportedRag: 'Green', daysOverdue: 3159 }),
    ]);
    expect(found.completedWithoutEvidence).toEqual([expect.objectContaining({ ref: '1.5', completedOn: '2016-03' })]);
    expect(found.recordedLate).toEqual([
      expect.objectContaining({
        ref: '1.3',
        count: 1,
        latest: [expect.objectContaining({ type: 'ProgressUpdateRecorded', effectiveOn: '2017-08', lagDays: 3196 })],
      }),
      expect.objectContaining({
        ref: '1.5',
        count: 1,
        latest: [expect.objectContaining({ type: 'ActionCompleted', effectiveOn: '2016-03' })],
      }),
    ]);
    expect(found.revisedMoreThanTwice).toEqual([]);
    expect(found.revisedAfterDeadline).toEqual([
      expect.objectContaining({
        ref: '1.3',
        revisions: [
          {
            agreedOn: '2016-01',
            deadlineInForce: { kind: 'date', date: '2015-10', wording: 'October 2015' },
            from: { kind: 'date', date: '2015-10', wording: 'October 2015' },
            to: { kind: 'date', date: '2018-03', wording: 'Revised to March 2018' },
            reason: 'Pilot delayed by recruitment',
            agreedBy: 'Crisis Care Concordat Board',
            recordedBy: expect.any(String),
            recordedAt: T.revised,
            // Recorded long after October 2015, but the ledger never showed that deadline pass: the plan was recorded later.
            agreedAfterDeadline: true,
            recordedAfterDeadline: false,
            deadlineShown: null,
          },
        ],
      }),
    ]);
    expect(found.totals.revisedAfterDeadline).toBe(1);
  });

  it('finds a deadline moved after it had passed only at clocks where the move is known and agreed, and as the deadline stands corrected', async () => {
    const listed = async (query: string) =>
      ((await r.get(`/reports/discrepancies${query}`)).json().revisedAfterDeadline as { ref: string }[]).map((d) => d.ref);
    // Before the revision was recorded, and on a business date before it was agreed, nothing was moved.
    expect(await listed(`?asOf=${encodeURIComponent(T.agreed)}`)).toEqual([]);
    expect(await listed('?effectiveOn=2015-12')).toEqual([]);
    expect(await listed('?effectiveOn=2016-01')).toEqual(['1.3']);
    // The first deadline corrected to June 2016: the revision in January came before it had passed.
    await r.post('/plans/dorset-ccc/corrections', {
      correctedEventId: agreedActionEventId,
      changes: { due: { kind: 'date', date: '2016-06' } },
      reason: 'The minutes give June 2016',
    });
    expect(await listed('')).toEqual([]);
    expect(await listed('?effectiveOn=2016-01')).toEqual([]);
    // As the ledger stood before the correction, it was still one.
    expect(await listed(`?asOf=${encodeURIComponent(T.updated)}`)).toEqual(['1.3']);
  });

  it('finds deadlines revised more than twice once the third revision is recorded', async () => {
    for (const date of ['2019-03', '2020-03']) {
      await r.post('/plans/dorset-ccc/actions/1.3/deadline-revisions', {
        to: { kind: 'date', date },
        reason: 'Slipped again',
        agreedBy: 'Board',
      });
    }
    const found = (await r.get('/reports/discrepancies')).json();
    expect(found.revisedMoreThanTwice).toEqual([expect.objectContaining({ ref: '1.3', revisions: expect.any(Array) })]);
    expect(found.revisedMoreThanTwice[0].revisions).toHaveLength(3);
    await expectRefused('/reports/discrepancies?asOf=not-a-time', 400, 'validation-failed', 'asOf');
  });
});
