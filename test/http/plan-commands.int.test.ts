import { describe, expect, it } from 'vitest';
import { OPERATOR, post, seedPlan, useApp } from './app-harness.ts';

describe('write routes', () => {
  const ctx = useApp();

  it('registers a plan: 201, ETag is the revision, Location names it, the operator is the actor', async () => {
    const res = await post(ctx.app, '/plans', { planId: 'p1', title: 'Plan', kind: 'other', owner: 'Trust', effectiveOn: '2022-08-15' });
    expect(res.statusCode).toBe(201);
    expect(res.headers.etag).toBe('"0"');
    expect(res.headers.location).toBe('/plans/p1');
    expect(res.json()).toMatchObject({ planId: 'p1', revision: 0, position: '0', replayed: false });
    const events = (await ctx.app.inject('/plans/p1/events')).json().events;
    expect(events[0]).toMatchObject({
      type: 'PlanRegistered',
      actor: OPERATOR,
      recordedAt: '2026-11-23T15:00:00.000Z',
      effectiveOn: { date: '2022-08-15', precision: 'day' },
      provenance: { source: 'api' },
    });
  });

  it('generates a plan id when none is given', async () => {
    const res = await post(ctx.app, '/plans', { title: 'Plan', kind: 'other', owner: 'Trust' });
    expect(res.statusCode).toBe(201);
    expect(res.json().planId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('runs every command route, each recording its event', async () => {
    await seedPlan(ctx.app);
    const a = '/plans/dorset/actions/1.3';
    const r = '/plans/dorset/recommendations/R1';
    const steps: [string, object, string][] = [
      [`${r}/responses`, { respondent: 'Dorset CCG', response: 'Accepted in full' }, 'RecommendationResponseRecorded'],
      [
        `${a}/progress-updates`,
        { narrative: 'A business case is being developed', effectiveOn: '2016-01', reportedRag: { rating: 'Amber' } },
        'ProgressUpdateRecorded',
      ],
      [
        `${a}/deadline-revisions`,
        { to: { kind: 'date', date: '2018-03', wording: 'Revised to March 2018' }, reason: 'Funding bid', effectiveOn: '2016-02' },
        'DeadlineRevised',
      ],
      [`${a}/lead-changes`, { to: ['Dorset CCG'] }, 'ActionLeadChanged'],
      [`${a}/evidence`, { title: 'My life my care', uri: 'https://www.mylifemycare.com/mental-health' }, 'EvidenceLinked'],
      [`${r}/progress-updates`, { narrative: 'Fact sheets published', effectiveOn: '2022-08-15' }, 'ProgressUpdateRecorded'],
      [`${r}/evidence`, { title: 'Newsletter', sha256: 'a'.repeat(64) }, 'EvidenceLinked'],
      [`${a}/completion`, { completedOn: '2017-08' }, 'ActionCompleted'],
      [`${a}/reopening`, { reason: 'Site taken down' }, 'ActionReopened'],
      [`${a}/withdrawal`, { reason: 'Replaced by the Dorset Care Record' }, 'ActionWithdrawn'],
      [`${r}/assurances`, { judgement: 'partially-assured', assuredBy: 'Dorset ICB Quality Committee' }, 'RecommendationAssured'],
    ];
    for (const [url, body, type] of steps) {
      const res = await post(ctx.app, url, body);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(201);
      const events = (await ctx.app.inject('/plans/dorset/events')).json().events;
      expect(events.at(-1).type).toBe(type);
    }
    await post(ctx.app, '/plans/dorset/actions', {
      ref: '2.2',
      text: 'Places of safety',
      leadOrganisations: ['Dorset HealthCare'],
      due: { kind: 'date', date: '2015-10' },
      effectiveOn: '2015-03',
    });
    const subsumed = await post(ctx.app, '/plans/dorset/actions/2.2/subsumption', {
      into: { kind: 'programme', name: 'Acute Care Pathway review' },
      reason: 'Subsumed into the ACP',
    });
    expect(subsumed.statusCode).toBe(201);
    const agreed = (await ctx.app.inject('/plans/dorset/events')).json().events.find((e: { type: string }) => e.type === 'ActionAgreed');
    const corrected = await post(ctx.app, '/plans/dorset/corrections', {
      correctedEventId: agreed.eventId,
      changes: { text: 'Mapping services' },
      reason: 'Typo',
    });
    expect(corrected.statusCode, corrected.body).toBe(201);
  });

  it('a repeated Idempotency-Key returns the first result and writes nothing', async () => {
    await seedPlan(ctx.app);
    const headers = { 'idempotency-key': 'update-2017-08-1.3' };
    const body = { narrative: 'AUG 2017 The website is now active', effectiveOn: '2017-08' };
    const first = await post(ctx.app, '/plans/dorset/actions/1.3/progress-updates', body, headers);
    const count = await ctx.store.count();
    const second = await post(ctx.app, '/plans/dorset/actions/1.3/progress-updates', body, headers);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual({ ...first.json(), replayed: true });
    expect(await ctx.store.count()).toBe(count);
  });

  it('a key beginning "import-" but not of the form an import\'s command id takes is a caller\'s key like any other', async () => {
    await seedPlan(ctx.app);
    const headers = { 'idempotency-key': 'import-board-2017-08' };
    const body = { narrative: 'AUG 2017 The website is now active', effectiveOn: '2017-08' };
    const first = await post(ctx.app, '/plans/dorset/actions/1.3/progress-updates', body, headers);
    expect(first.statusCode, first.body).toBe(201);
    const count = await ctx.store.count();
    const second = await post(ctx.app, '/plans/dorset/actions/1.3/progress-updates', body, headers);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(await ctx.store.count()).toBe(count);
  });

  it('the same Idempotency-Key with a different body or plan is refused with 422 and writes nothing', async () => {
    await seedPlan(ctx.app);
    const headers = { 'idempotency-key': 'update-2017-08-1.3' };
    const body = { narrative: 'AUG 2017 The website is now active', effectiveOn: '2017-08' };
    expect((await post(ctx.app, '/plans/dorset/actions/1.3/progress-updates', body, headers)).statusCode).toBe(201);
    const count = await ctx.store.count();
    const otherBody = await post(
      ctx.app,
      '/plans/dorset/actions/1.3/progress-updates',
      { ...body, narrative: 'SEP 2017 Launched' },
      headers,
    );
    expect(otherBody.statusCode).toBe(422);
    expect(otherBody.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(otherBody.json().code).toBe('idempotency-key-reused');
    expect((await post(ctx.app, '/plans', { planId: 'p3', title: 'P', kind: 'other', owner: 'T' }, headers)).json().code).toBe(
      'idempotency-key-reused',
    );
    expect(await ctx.store.count()).toBe(count);
  });

  it('a retried registration without a plan id replays: the id the server picked comes from the caller and the key', async () => {
    const headers = { 'idempotency-key': 'register-dorset-2015' };
    const body = { title: 'Dorset Crisis Care Concordat', kind: 'crisis-care-concordat', owner: 'Dorset CCG' };
    const first = await post(ctx.app, '/plans', body, headers);
    expect(first.statusCode).toBe(201);
    const count = await ctx.store.count();
    const again = await post(ctx.app, '/plans', body, headers);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual({ ...first.json(), replayed: true });
    expect(again.headers.location).toBe(first.headers.location);
    expect(await ctx.store.count()).toBe(count);
    const other = await post(ctx.app, '/plans', body, { 'idempotency-key': 'register-dorset-2016' });
    expect(other.json().planId).not.toBe(first.json().planId);
  });

  it('a command id the server generated, sent back as an Idempotency-Key, is a different request: 422', async () => {
    await seedPlan(ctx.app);
    const first = await post(ctx.app, '/plans/dorset/actions/1.3/progress-updates', { narrative: 'AUG 2017 Website live' });
    const { commandId } = (await ctx.app.inject('/plans/dorset/events')).json().events.at(-1);
    const count = await ctx.store.count();
    const reused = await post(
      ctx.app,
      '/plans/dorset/actions/1.3/progress-updates',
      { narrative: 'AUG 2017 Website live' },
      { 'idempotency-key': commandId },
    );
    expect(first.statusCode).toBe(201);
    expect(reused.statusCode).toBe(422);
    expect(reused.json().code).toBe('idempotency-key-reused');
    expect(await ctx.store.count()).toBe(count);
  });

  it('If-Match with the current revision is honoured', async () => {
    await seedPlan(ctx.app);
    const res = await post(
      ctx.app,
      '/plans/dorset/sections',
      { sectionRef: '2', title: 'Urgent and Emergency Access' },
      { 'if-match': '"3"' },
    );
    expect(res.statusCode).toBe(201);
    expect(res.headers.etag).toBe('"4"');
  });

  it('actor cannot be claimed by the body', async () => {
    const res = await post(ctx.app, '/plans', { planId: 'p2', title: 'P', kind: 'other', owner: 'T', actor: { id: 'mallory' } });
    expect(res.statusCode).toBe(400);
    expect(await ctx.store.count()).toBe(0);
  });
});
