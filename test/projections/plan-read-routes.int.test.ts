import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordDorsetPlan, T } from './dorset-scenario.ts';
import { openReadApp, type ReadApp } from './read-app.ts';

let r: ReadApp;
let ids: { agreedActionEventId: string };
beforeEach(async () => {
  r = await openReadApp();
  ids = await recordDorsetPlan(r);
});
afterEach(() => r.close());

/** Reads never write: after each refused read the ledger holds exactly what it held before. */
const expectRefused = async (url: string, status: number, code: string, mentions?: string) => {
  const before = await r.store.count();
  const res = await r.app.inject({ method: 'GET', url });
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(res.json().code).toBe(code);
  if (mentions) expect(res.body).toContain(mentions);
  expect(await r.store.count()).toBe(before);
  return res;
};

describe('GET /plans/:planId', () => {
  it('shows each action with original and current deadline, revisions, reported RAG with the legend, and computed status', async () => {
    const res = await r.get('/plans/dorset-ccc');
    expect(res.statusCode).toBe(200);
    const plan = res.json();
    const byRef = Object.fromEntries(plan.actions.map((a: { ref: string }) => [a.ref, a]));
    expect(plan.today).toBe('2026-11-23');
    expect(byRef['1.3']).toMatchObject({
      status: 'inProgress',
      computedStatus: 'overdue',
      originalDue: { kind: 'date', date: '2015-10' },
      currentDue: { kind: 'date', date: '2018-03' },
      revisions: 1,
      daysOverdue: 3159, // 31 March 2018 to 23 November 2026
      slippageDays: 882, // 31 October 2015 to 31 March 2018
      reportedRag: { rating: 'Green', meaning: 'Complete or on track', reportedOn: '2017-08' },
      lastUpdatedAt: T.updated,
    });
    expect(byRef['1.4']).toMatchObject({ status: 'open', computedStatus: 'due-soon', daysOverdue: null });
    expect(byRef['1.5']).toMatchObject({ status: 'completed', computedStatus: 'completed-late', daysLateAgainstCurrent: 30 });
    expect(plan.recommendations[0]).toMatchObject({ ref: 'R1', assurance: { state: 'awaiting-assurance' }, actionRefs: ['1.3'] });
    expect(plan.sections[0]).toMatchObject({ sectionRef: '1', actionRefs: ['1.3', '1.4'] });
    expect(res.headers.etag).toBe(`"${plan.revision}@2026-11-23"`);
  });

  it('shows a corrected entry with its corrected value, and the timeline shows before and after', async () => {
    await r.post('/plans/dorset-ccc/corrections', {
      correctedEventId: ids.agreedActionEventId,
      changes: { text: 'Pilot street triage in Bournemouth' },
      reason: 'Typed from the wrong row',
    });
    const plan = (await r.get('/plans/dorset-ccc')).json();
    expect(plan.actions.find((a: { ref: string }) => a.ref === '1.3').text).toBe('Pilot street triage in Bournemouth');
    const timeline = (await r.get('/plans/dorset-ccc/actions/1.3/timeline')).json();
    const correction = timeline.entries.at(-1);
    expect(correction).toMatchObject({
      type: 'EntryCorrected',
      reason: 'Typed from the wrong row',
      correctedEventId: ids.agreedActionEventId,
    });
    expect(correction.changes).toEqual([{ field: 'text', before: 'Pilot street triage', after: 'Pilot street triage in Bournemouth' }]);
  });

  it('answers as of an instant from the events recorded by then, with that day as "today"', async () => {
    const before = (await r.get(`/plans/dorset-ccc?asOf=2026-02-01T00:00:00Z`)).json();
    const a13 = before.actions.find((a: { ref: string }) => a.ref === '1.3');
    expect(before.today).toBe('2026-02-01');
    expect(a13).toMatchObject({ currentDue: { date: '2015-10' }, revisions: 0, status: 'open', computedStatus: 'overdue' });
    expect(before.actions).toHaveLength(3);
    await expectRefused('/plans/dorset-ccc?asOf=2025-12-31T23:59:59Z', 404, 'plan-not-found', '2025-12-31');
  });

  it('reads an instant written to the minute as that minute, in any offset (its + encoded or not), the same answer as to the second', async () => {
    const bySecond = (await r.get('/plans/dorset-ccc?asOf=2026-02-01T00:00:00Z')).json();
    // An unencoded + arrives as a space, as query strings are read.
    for (const asOf of ['2026-02-01T00:00Z', '2026-02-01T01:00%2B01:00', '2026-02-01T01:00+01:00', '2026-02-01T01:00:00+01:00']) {
      const res = await r.get(`/plans/dorset-ccc?asOf=${asOf}`);
      expect(res.statusCode, asOf).toBe(200);
      expect(res.json()).toEqual(bySecond);
    }
    // Without an offset, a time names no one instant: refused, as before.
    await expectRefused('/plans/dorset-ccc?asOf=2026-02-01T00:00', 400, 'validation-failed', 'asOf');
  });

  it('reads an instant with a fraction finer than a millisecond as its millisecond, however many digits it has', async () => {
    const bySecond = (await r.get('/plans/dorset-ccc?asOf=2026-02-01T00:00:00.099Z')).json();
    for (const fraction of ['0990', '099000000', '0990000000', '0999999999999']) {
      const res = await r.get(`/plans/dorset-ccc?asOf=2026-02-01T00:00:00.${fraction}Z`);
      expect(res.statusCode, fraction).toBe(200);
      expect(res.json(), fraction).toEqual(bySecond);
    }
    expect(bySecond.asOf).toBe('2026-02-01T00:00:00.099Z');
  });

  it('refuses an unknown plan and a malformed asOf, naming the parameter', async () => {
    await expectRefused('/plans/no-such-plan', 404, 'plan-not-found');
    const res = await expectRefused('/plans/dorset-ccc?asOf=yesterday', 400, 'validation-failed', 'asOf');
    expect(res.json().errors[0].location).toBe('querystring.asOf');
    // London's days are named from the year 1 (ledger-time.ts): a day or an instant of the year 0 is refused.
    for (const asOf of ['0000-01-01', '0000-06-01T12:00:00Z'])
      await expectRefused(`/plans/dorset-ccc?asOf=${asOf}`, 400, 'validation-failed', 'asOf');
    await expectRefused('/plans/dorset-ccc?colour=red', 400, 'validation-failed');
  });
});

describe('GET /plans', () => {
  it('lists each plan with actions counted by status and the number overdue', async () => {
    const { plans } = (await r.get('/plans')).json();
    expect(plans).toEqual([
      expect.objectContaining({ planId: 'dorset-ccc', actions: 3, overdue: 1, actionsByStatus: { inProgress: 1, open: 1, completed: 1 } }),
    ]);
  });
});

describe('timelines', () => {
  it('lists every event with who, organisation, both clocks and what changed; by effective date on request', async () => {
    const recorded = (await r.get('/plans/dorset-ccc/timeline')).json();
    expect(recorded.entries).toHaveLength(9);
    const revision = recorded.entries.find((e: { type: string }) => e.type === 'DeadlineRevised');
    expect(revision).toMatchObject({
      recordedAt: T.revised,
      effectiveOn: { date: '2016-01', precision: 'month' },
      recordedBy: { name: 'Sam Auditor', organisation: 'NHS Dorset Clinical Commissioning Group' },
      organisations: ['NHS Dorset Clinical Commissioning Group'],
      changes: [
        {
          field: 'due',
          before: { kind: 'date', date: '2015-10', wording: 'October 2015' },
          after: { kind: 'date', date: '2018-03', wording: 'Revised to March 2018' },
        },
      ],
      summary:
        'Deadline of action 1.3 revised from October 2015 to March 2018 ("Revised to March 2018"), agreed by Crisis Care Concordat Board',
      reason: 'Pilot delayed by recruitment',
    });
    const effective = (await r.get('/plans/dorset-ccc/actions/1.3/timeline?order=effective')).json();
    expect(effective.entries.map((e: { type: string }) => e.type)).toEqual(['ActionAgreed', 'DeadlineRevised', 'ProgressUpdateRecorded']);
    expect(effective.entries.map((e: { effectiveOn: { date: string } }) => e.effectiveOn.date)).toEqual(['2015-03', '2016-01', '2017-08']);
  });

  it('pages through a timeline in either order: the pages put together are the whole timeline', async () => {
    for (const order of ['recorded', 'effective']) {
      const whole = (await r.get(`/plans/dorset-ccc/timeline?order=${order}`)).json();
      expect(whole.next).toBeNull();
      const paged: unknown[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const page: { entries: unknown[]; next: string | null } = (
          await r.get(`/plans/dorset-ccc/timeline?order=${order}&limit=4${after ? `&after=${after}` : ''}`)
        ).json();
        expect(page.entries.length).toBeLessThanOrEqual(4);
        paged.push(...page.entries);
        after = page.next;
        pages++;
      } while (after !== null);
      expect(pages).toBe(3);
      expect(paged).toEqual(whole.entries);
    }
  });

  it('refuses a cursor that names no entry, and a limit out of range', async () => {
    await expectRefused('/plans/dorset-ccc/timeline?after=999999', 400, 'unknown-cursor', 'after');
    // Longer than any position yet still digits: no entry either, said the same way.
    await expectRefused('/plans/dorset-ccc/timeline?after=12345678901234567890123', 400, 'unknown-cursor', 'after');
    await expectRefused('/plans/dorset-ccc/actions/1.3/timeline?after=1234567890123456', 400, 'unknown-cursor', 'after');
    await expectRefused('/plans/dorset-ccc/timeline?limit=0', 400, 'validation-failed', 'limit');
    await expectRefused('/plans/dorset-ccc/timeline?after=soon', 400, 'validation-failed', 'after');
  });

  it('refuses an unknown plan or action ref', async () => {
    await expectRefused('/plans/nope/timeline', 404, 'plan-not-found');
    await expectRefused('/plans/dorset-ccc/actions/9.9/timeline', 404, 'action-not-found');
    await expectRefused('/plans/dorset-ccc/actions/1.3/timeline?order=sideways', 400, 'validation-failed', 'order');
  });
});

describe('GET /plans/:planId/changes', () => {
  it('lists what changed between two instants', async () => {
    const res = await r.get(`/plans/dorset-ccc/changes?from=2026-02-01T00:00:00Z&to=2026-07-01T00:00:00Z`);
    expect(res.statusCode, res.body).toBe(200);
    const changes = res.json();
    expect(changes.entries.map((e: { type: string }) => e.type)).toEqual(['DeadlineRevised', 'ActionCompleted', 'ProgressUpdateRecorded']);
    const a13 = changes.actions.find((a: { ref: string }) => a.ref === '1.3');
    expect(a13.fields).toEqual(
      expect.arrayContaining([
        { field: 'currentDue', before: expect.objectContaining({ date: '2015-10' }), after: expect.objectContaining({ date: '2018-03' }) },
      ]),
    );
  });

  it('refuses from after to, naming from', async () => {
    const res = await expectRefused(
      '/plans/dorset-ccc/changes?from=2026-07-01T00:00:00Z&to=2026-02-01T00:00:00Z',
      400,
      'invalid-window',
      'from',
    );
    expect(res.json().errors[0].location).toBe('querystring.from');
    await expectRefused('/plans/nope/changes?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z', 404, 'plan-not-found');
  });

  it('says a month on the business clock is read at its last day, when that puts from after a day within it', async () => {
    await expectRefused(
      '/plans/dorset-ccc/changes?clock=effective&from=2017-08&to=2017-08-15',
      400,
      'invalid-window',
      'from (2017-08, read as its last day, 2017-08-31) is after to (2017-08-15)',
    );
    await expectRefused(
      '/plans/dorset-ccc/changes?clock=effective&from=2017-09-15&to=2017-08',
      400,
      'invalid-window',
      'from (2017-09-15) is after to (2017-08, read as its last day, 2017-08-31)',
    );
  });
});

describe('GET /plans/:planId/changes of a retracted plan, and at clocks a read of the plan refuses', () => {
  it('answers 410 plan-retracted where the plan is retracted at `to`, and compares a plan retracted at `from` as not there yet', async () => {
    r.setNow('2026-08-01T09:00:00.000Z');
    await r.post('/plans/dorset-ccc/retraction', { reason: 'Registered twice' });
    const retracted = await expectRefused(
      '/plans/dorset-ccc/changes?from=2026-02-01T00:00:00Z&to=2026-09-01T00:00:00Z',
      410,
      'plan-retracted',
      'Registered twice',
    );
    expect(retracted.json().retraction).toMatchObject({ reason: 'Registered twice', recordedAt: '2026-08-01T09:00:00.000Z' });
    // On the business clock the plan is read as the ledger knows it now: retracted.
    await expectRefused('/plans/dorset-ccc/changes?clock=effective&from=2015-06&to=2017-09', 410, 'plan-retracted');
    // Before the retraction it answers as before.
    expect((await r.get('/plans/dorset-ccc/changes?from=2026-02-01T00:00:00Z&to=2026-07-01T00:00:00Z')).statusCode).toBe(200);

    r.setNow('2026-09-01T09:00:00.000Z');
    await r.post('/plans/dorset-ccc/reinstatement', { reason: 'Not a duplicate after all' });
    r.setNow(T.now);
    const back = await r.get('/plans/dorset-ccc/changes?from=2026-08-15T00:00:00Z&to=2026-10-01T00:00:00Z');
    expect(back.statusCode, back.body).toBe(200);
    const changes = back.json();
    // At `from` it was in no view: every action is new to the view at `to`, as for a plan registered in between.
    expect(changes.revisionBefore).toBeNull();
    expect(changes.actions.map((a: { change: string }) => a.change)).toEqual(changes.actions.map(() => 'added'));
    expect(changes.actions.length).toBeGreaterThan(0);
  });

  it('refuses an effectiveOn after the day of `from` as a read of the plan at those clocks is refused, naming from', async () => {
    const atFrom = await expectRefused(
      '/plans/dorset-ccc/changes?from=2026-03-01&to=2026-07-01&effectiveOn=2026-05',
      400,
      'effective-on-after-as-of',
      'the day of from (2026-03-01)',
    );
    expect(atFrom.json().errors[0].location).toBe('querystring.effectiveOn');
    await expectRefused(
      '/plans/dorset-ccc/changes?from=2026-03-01&to=2026-04-01&effectiveOn=2026-05',
      400,
      'effective-on-after-as-of',
      'the day of to (2026-04-01)',
    );
    // On the business clock `to` is the effectiveOn, and the refusal names it.
    const business = await expectRefused(
      '/plans/dorset-ccc/changes?clock=effective&from=2026-01&to=2026-05&asOf=2026-03-01',
      400,
      'effective-on-after-as-of',
      'to 2026-05 begins after the asOf day (2026-03-01)',
    );
    expect(business.json().errors[0].location).toBe('querystring.to');
    // `from` is a side too: a day still to come in the month `to` names, or after the asOf day, is no date a read accepts.
    const tomorrow = await expectRefused(
      '/plans/dorset-ccc/changes?clock=effective&from=2026-11-24&to=2026-11',
      400,
      'effective-on-in-future',
      'from 2026-11-24 begins after today (2026-11-23)',
    );
    expect(tomorrow.json().errors[0].location).toBe('querystring.from');
    const afterAsOf = await expectRefused(
      '/plans/dorset-ccc/changes?clock=effective&from=2026-03-02&to=2026-03&asOf=2026-03-01',
      400,
      'effective-on-after-as-of',
      'from 2026-03-02 begins after the asOf day (2026-03-01)',
    );
    expect(afterAsOf.json().errors[0].location).toBe('querystring.from');
  });

  it("names the asOf day as London's, where an instant written with another offset falls on the day before", async () => {
    await expectRefused(
      '/plans/dorset-ccc?asOf=2026-07-01T00:30%2B02:00&effectiveOn=2026-07-01',
      400,
      'effective-on-after-as-of',
      'effectiveOn 2026-07-01 begins after the asOf day (2026-06-30) in London',
    );
  });
});

describe('asOf naming a day that does not exist', () => {
  it('is refused saying the day does not exist, in a day and in an instant, as an effectiveOn is', async () => {
    for (const asOf of ['2019-02-30', '2019-02-30T12:00Z', '2019-13-01']) {
      const res = await expectRefused(`/plans?asOf=${asOf}`, 400, 'validation-failed');
      expect(res.json().errors).toEqual([
        {
          location: 'querystring.asOf',
          message: expect.stringMatching(new RegExp(`^must be a day that exists \\(${asOf.slice(0, 10)} does not\\): an ISO 8601 instant`)),
        },
      ]);
    }
    // A form it does not have is still told the form.
    const res = await expectRefused('/plans?asOf=yesterday', 400, 'validation-failed');
    expect(res.json().errors[0].message).toMatch(/^must be an ISO 8601 instant with an offset/);
  });
});

describe('effectiveOn naming a day or a month that does not exist', () => {
  it('is refused saying the day or the month does not exist, as an asOf is', async () => {
    for (const [effectiveOn, what] of [
      ['2017-02-29', 'day'],
      ['2017-13', 'month'],
    ]) {
      const res = await expectRefused(`/plans?effectiveOn=${effectiveOn}`, 400, 'validation-failed');
      expect(res.json().errors).toEqual([
        {
          location: 'querystring.effectiveOn',
          message: `must be a real calendar date as YYYY-MM-DD, or a month as YYYY-MM (${effectiveOn} is not a ${what} that exists)`,
        },
      ]);
    }
    // A form it does not have is still told the form.
    const res = await expectRefused('/plans?effectiveOn=yesterday', 400, 'validation-failed');
    expect(res.json().errors[0].message).toBe('must be a real calendar date as YYYY-MM-DD, or a month as YYYY-MM');
  });
});

describe('read your writes', () => {
  it('waits for minPosition, and answers 503 with Retry-After when the read models cannot reach it in time', async () => {
    const write = await r.post('/plans/dorset-ccc/actions/1.4/progress-updates', { narrative: 'Protocol drafted' });
    const res = await r.app.inject({ method: 'GET', url: `/plans/dorset-ccc?minPosition=${write.position}` });
    expect(res.json().actions.find((a: { ref: string }) => a.ref === '1.4').status).toBe('inProgress');
    const slow = await openReadApp({ readYourWritesTimeoutMs: 50 });
    try {
      await slow.post('/plans', { planId: 'p1', title: 'P', kind: 'other', owner: 'Dorset CCG' });
      // With the runner stopped, what is written next is in the ledger but not in the read models.
      await slow.readModels.runner.stop();
      const sections = [];
      for (const ref of ['1', '2', '3']) sections.push(await slow.post('/plans/p1/sections', { sectionRef: ref, title: `Section ${ref}` }));
      const behind = await slow.app.inject({ method: 'GET', url: `/plans?minPosition=${sections.at(-1)!.position}` });
      expect(behind.statusCode).toBe(503);
      expect(behind.headers['retry-after']).toBe('1');
      expect(behind.json().code).toBe('read-model-behind');
      // A position the ledger never handed out is refused at once, not waited for.
      const never = await slow.app.inject({ method: 'GET', url: '/plans?minPosition=999999' });
      expect(never.statusCode).toBe(400);
      expect(never.json()).toMatchObject({ code: 'position-not-written' });
      expect(never.json().detail).toContain(`last position (${sections.at(-1)!.position})`);
      // At an asOf nothing is waited for, but a position never written is the same mistake.
      const earlier = await slow.app.inject({ method: 'GET', url: `/plans?asOf=2030-01-01&minPosition=${sections.at(-1)!.position}` });
      expect(earlier.statusCode).toBe(200);
      const neverAsOf = await slow.app.inject({ method: 'GET', url: '/plans?asOf=2030-01-01&minPosition=999999' });
      expect(neverAsOf.json()).toMatchObject({ status: 400, code: 'position-not-written' });
      await expectRefused('/plans?minPosition=soon', 400, 'validation-failed', 'minPosition');
    } finally {
      await slow.close();
    }
  });
});

describe('API description', () => {
  it('documents every read route with its asOf and minPosition parameters', async () => {
    const res = await r.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = res.json().paths;
    for (const path of [
      '/plans',
      '/plans/{planId}',
      '/plans/{planId}/timeline',
      '/plans/{planId}/actions/{ref}/timeline',
      '/plans/{planId}/changes',
      '/organisations',
      '/organisations/{org}',
      '/reports/deadlines',
      '/reports/discrepancies',
    ])
      expect(paths[path]?.get, path).toBeDefined();
    const names = paths['/plans/{planId}'].get.parameters.map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(['planId', 'asOf', 'minPosition']));
  });
});
