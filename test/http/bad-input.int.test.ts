import { describe, expect, it } from 'vitest';
import { expectProblem, post, seedPlan, useApp } from './app-harness.ts';

/**
 * Every kind of bad input gets a 4xx problem+json naming what is wrong, and the
 * ledger's event count is the same afterwards: nothing is ever half-written.
 */
describe('bad input', () => {
  const ctx = useApp();
  const unchanged = async (run: () => Promise<void>) => {
    await seedPlan(ctx.app);
    const before = await ctx.store.count();
    await run();
    expect(await ctx.store.count()).toBe(before);
  };
  const action = (extra: object) => ({ ref: '9.1', text: 'T', leadOrganisations: ['X'], due: { kind: 'ongoing' }, ...extra });

  it('malformed JSON → 400 malformed-json', () =>
    unchanged(async () => {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/plans/dorset/sections',
        payload: '{"sectionRef": "2",',
        headers: { 'content-type': 'application/json' },
      });
      expectProblem(res, 400, 'malformed-json');
    }));

  it('wrong types → 400 validation-failed naming the field', () =>
    unchanged(async () => {
      const body = expectProblem(await post(ctx.app, '/plans/dorset/sections', { sectionRef: 2, title: ['x'] }), 400, 'validation-failed');
      expect(body.detail).toMatch(/sectionRef/);
      expect(body.detail).toMatch(/title/);
    }));

  it("says what is wrong with a field in plain words, not in the schema library's", () =>
    unchanged(async () => {
      const messages = async (url: string, payload?: object) => {
        const res = payload === undefined ? await ctx.app.inject(url) : await post(ctx.app, url, payload);
        return (expectProblem(res, 400, 'validation-failed')['errors'] as { location: string; message: string }[]).map(
          (e) => `${e.location}: ${e.message}`,
        );
      };
      expect(await messages('/plans/dorset/actions/1.3/progress-updates', { narrative: '   ' })).toEqual([
        'body.narrative: must not be empty',
      ]);
      expect(await messages('/plans/dorset/actions/1.3/progress-updates', { effectiveOn: '2017-08' })).toEqual([
        'body.narrative: is required',
      ]);
      expect(await messages('/plans/dorset/sections', { sectionRef: 2, title: 'S' })).toEqual([
        'body.sectionRef: must be text (a JSON string)',
      ]);
      expect(await messages('/ledger/events?after=1&after=2')).toEqual(['querystring.after: must be given once']);
      expect(await messages('/ledger/events?type=ActionAgreed&type=ActionAgreed')).toEqual(['querystring.type: must be given once']);
      expect(await messages('/ledger/events?type=ActionDeleted')).toEqual([
        expect.stringMatching(/^querystring\.type: must be one of PlanRegistered, .*, PlanReinstated$/),
      ]);
      expect(await messages('/ledger/events?Type=ActionAgreed')).toEqual([
        'querystring: does not take "Type" (names are matched exactly, capitals included)',
      ]);
      expect(await messages('/plans/dorset/events?fromRevision=9007199254740992')).toEqual([
        'querystring.fromRevision: must be a whole number, 0 or more, up to 9007199254740991',
      ]);
      for (const message of await messages('/plans/dorset/actions', action({ text: 'x'.repeat(20_001) })))
        expect(message).toMatch(/^body\.text: must have at most \d+ characters$/);
    }));

  it('a query parameter on a write → 400 validation-failed naming it, the business date never taken from the query', () =>
    unchanged(async () => {
      const writes: [string, object][] = [
        ['/plans/dorset/actions/1.3/progress-updates?effectiveOn=2016-01', { narrative: 'Dated in the query' }],
        ['/plans/dorset/actions/1.3/progress-updates?asOf=2019-03-01', { narrative: 'A read clock on a write' }],
        ['/plans/dorset/sections?minPosition=9999', { sectionRef: '2', title: 'S' }],
        ['/plans?foo=1', { planId: 'other', title: 'P', kind: 'other', owner: 'X' }],
        ['/plans/dorset/retraction?effectiveOn=2016-01', { reason: 'Registered twice' }],
      ];
      for (const [url, payload] of writes) {
        const body = expectProblem(await post(ctx.app, url, payload), 400, 'validation-failed');
        const name = new URL(url, 'http://x').searchParams.keys().next().value!;
        expect(body['errors']).toEqual([
          {
            location: 'querystring',
            message: `a write takes no query parameters, and "${name}" was given: send the command's fields, effectiveOn among them, in its JSON body`,
          },
        ]);
      }
      // A write that declares its query still takes it: only the empty body is refused here.
      const dryRun = expectProblem(await post(ctx.app, '/imports?dryRun=true', {}), 400, 'validation-failed');
      const locations = (dryRun['errors'] as { location: string }[]).map((e) => e.location);
      expect(locations.length).toBeGreaterThan(0);
      expect(locations.filter((l) => !l.startsWith('body'))).toEqual([]);
    }));

  it('unknown fields → 400', () =>
    unchanged(async () => {
      const body = expectProblem(await post(ctx.app, '/plans/dorset/actions', action({ status: 'complete' })), 400, 'validation-failed');
      expect(body.detail).toMatch(/status/);
    }));

  it('unknown event types → 400 on the ledger read', () =>
    unchanged(async () => {
      expectProblem(await ctx.app.inject('/ledger/events?type=ActionDeleted'), 400, 'validation-failed');
    }));

  it('oversized bodies → 413', () =>
    unchanged(async () => {
      expectProblem(
        await post(ctx.app, '/plans/dorset/sections', { sectionRef: '2', title: 'x'.repeat(300 * 1024) }),
        413,
        'body-too-large',
      );
    }));

  it('impossible dates ("31 September 2020") → 400', () =>
    unchanged(async () => {
      const body = expectProblem(
        await post(ctx.app, '/plans/dorset/actions', action({ due: { kind: 'date', date: '2020-09-31' } })),
        400,
        'validation-failed',
      );
      expect(body.detail).toMatch(/due/);
      expectProblem(await post(ctx.app, '/plans/dorset/actions/1.3/completion', { completedOn: '2020-09-31' }), 400, 'validation-failed');
    }));

  it('future effective dates → 422', () =>
    unchanged(async () => {
      expectProblem(
        await post(ctx.app, '/plans/dorset/actions/1.3/progress-updates', { narrative: 'x', effectiveOn: '2027-01' }),
        422,
        'effective-date-in-future',
      );
      expectProblem(
        await post(ctx.app, '/plans/dorset/actions/1.3/completion', { completedOn: '2026-11-24' }),
        422,
        'completion-in-future',
      );
    }));

  it('a stale If-Match → 412 with the current revision', () =>
    unchanged(async () => {
      const body = expectProblem(
        await post(ctx.app, '/plans/dorset/sections', { sectionRef: '2', title: 'S' }, { 'if-match': '"1"' }),
        412,
        'revision-mismatch',
      );
      expect(body.currentRevision).toBe(3);
      expectProblem(
        await post(ctx.app, '/plans/dorset/sections', { sectionRef: '2', title: 'S' }, { 'if-match': 'W/"3"' }),
        400,
        'invalid-if-match',
      );
    }));

  it('an unknown plan or ref → 404', () =>
    unchanged(async () => {
      expectProblem(await post(ctx.app, '/plans/nowhere/sections', { sectionRef: '1', title: 'S' }), 404, 'plan-not-found');
      expectProblem(await post(ctx.app, '/plans/dorset/actions/7.7/completion', { completedOn: '2017-08' }), 404, 'action-not-found');
      expectProblem(
        await post(ctx.app, '/plans/dorset/recommendations/R9/assurances', { judgement: 'assured', assuredBy: 'ICB' }),
        404,
        'recommendation-not-found',
      );
      expectProblem(await ctx.app.inject('/plans/nowhere/events'), 404, 'plan-not-found');
      expectProblem(await ctx.app.inject('/no/such/route'), 404, 'route-not-found');
    }));

  it('a method an address does not take → 405 method-not-allowed naming the methods it does in Allow; an unknown address → 404', () =>
    unchanged(async () => {
      const deleted = await ctx.app.inject({ method: 'DELETE', url: '/plans/dorset/events' });
      const body = expectProblem(deleted, 405, 'method-not-allowed');
      expect(deleted.headers['allow']).toBe('GET, HEAD');
      expect(body.detail).toMatch(/record a correction/);
      const put = await ctx.app.inject({ method: 'PUT', url: '/plans/dorset/sections', payload: { sectionRef: '2', title: 'S' } });
      expectProblem(put, 405, 'method-not-allowed');
      expect(put.headers['allow']).toBe('POST');
      const posted = await post(ctx.app, '/plans/dorset/events', {});
      expect(expectProblem(posted, 405, 'method-not-allowed').detail).toBe('/plans/dorset/events does not take POST: it takes GET, HEAD');
      // Only a plan's record is put right by a correction: elsewhere the detail does not say so.
      const health = await ctx.app.inject({ method: 'DELETE', url: '/health' });
      expect(expectProblem(health, 405, 'method-not-allowed').detail).toBe('/health does not take DELETE: it takes GET, HEAD');
      const nowhere = await ctx.app.inject({ method: 'DELETE', url: '/no/such/route' });
      expectProblem(nowhere, 404, 'route-not-found');
      expect(nowhere.headers['allow']).toBeUndefined();
    }));

  it('broken business rules → 409/422 with the rule as code', () =>
    unchanged(async () => {
      expectProblem(await post(ctx.app, '/plans/dorset/sections', { sectionRef: '1', title: 'Again' }), 409, 'ref-taken');
      expectProblem(await post(ctx.app, '/plans/dorset/actions', action({ sectionRef: '8' })), 422, 'unknown-section');
      expectProblem(
        await post(ctx.app, '/plans/dorset/actions/1.3/deadline-revisions', { to: { kind: 'date', date: '2015-10' }, reason: 'same' }),
        409,
        'deadline-unchanged',
      );
      expectProblem(
        await post(ctx.app, '/plans/dorset/actions/1.3/deadline-revisions', { to: { kind: 'date', date: '2016-10' } }),
        400,
        'validation-failed',
      );
      expectProblem(await post(ctx.app, '/plans', { planId: 'dorset', title: 'Again', kind: 'other', owner: 'X' }), 409, 'plan-exists');
    }));

  it('a correction that names no field to correct → 400 validation-failed, as the event schema says', () =>
    unchanged(async () => {
      const events = (await ctx.app.inject('/ledger/events?type=ActionAgreed')).json() as { events: { eventId: string }[] };
      const correctedEventId = events.events[0]!.eventId;
      const body = expectProblem(
        await post(ctx.app, '/plans/dorset/corrections', { correctedEventId, changes: {}, reason: 'Typo' }),
        400,
        'validation-failed',
      );
      expect(body.detail).toMatch(/at least one field/);
    }));

  it("bad plan ids, refs, idempotency keys (the imports' own ids among them) and paging parameters → 400", () =>
    unchanged(async () => {
      expectProblem(
        await post(ctx.app, '/plans', { planId: 'Not A Slug!', title: 'P', kind: 'other', owner: 'X' }),
        400,
        'validation-failed',
      );
      expectProblem(
        await post(ctx.app, '/plans/dorset/sections', { sectionRef: '2', title: 'S' }, { 'idempotency-key': 'x'.repeat(300) }),
        400,
        'invalid-idempotency-key',
      );
      // An import's command ids are its own: a key of that form would take a file's claim on a plan for another write.
      for (const key of [
        `import-document-${'ab'.repeat(32)}`,
        `import-document-${'ab'.repeat(32)}-2`,
        `import-${'0f'.repeat(16)}-dorset-7`,
      ])
        expectProblem(
          await post(ctx.app, '/plans/dorset/sections', { sectionRef: '2', title: 'S' }, { 'idempotency-key': key }),
          400,
          'idempotency-key-reserved',
        );
      expectProblem(
        await post(ctx.app, '/plans', { title: 'P', kind: 'other', owner: 'X' }, { 'idempotency-key': `import-${'0f'.repeat(16)}-p-new` }),
        400,
        'idempotency-key-reserved',
      );
      expectProblem(await ctx.app.inject('/ledger/events?limit=0'), 400, 'validation-failed');
      expectProblem(await ctx.app.inject('/ledger/events?after=-4'), 400, 'validation-failed');
      // Past any position a ledger can reach: refused in words, not a failure of the store's integers.
      for (const after of ['9007199254740992', '9223372036854775807', '99999999999999999999', 'abc'])
        expect(expectProblem(await ctx.app.inject(`/ledger/events?after=${after}`), 400, 'validation-failed')['errors']).toEqual([
          { location: 'querystring.after', message: 'a position is a whole number, at most 9007199254740991' },
        ]);
      expect((await ctx.app.inject('/ledger/events?after=9007199254740991')).statusCode).toBe(200);
      expectProblem(
        await ctx.app.inject({
          method: 'POST',
          url: '/plans/dorset/sections',
          payload: 'sectionRef=2',
          headers: { 'content-type': 'text/plain' },
        }),
        415,
        'unsupported-media-type',
      );
    }));

  it('a URL whose percent-escapes do not decode → 400 malformed-url, as problem details', () =>
    unchanged(async () => {
      expectProblem(await ctx.app.inject('/plans/%E0%A4%A'), 400, 'malformed-url');
      expectProblem(await post(ctx.app, '/plans/%E0%A4%A/sections', { sectionRef: '2', title: 'S' }), 400, 'malformed-url');
      // In the query too: an escape that does not decode is not taken as its text.
      for (const query of ['after=%ZZ', 'type=%FF', 'limit=1&after=%E0%A4%A', '%ZZ=1'])
        expectProblem(await ctx.app.inject(`/ledger/events?${query}`), 400, 'malformed-url');
      expect((await ctx.app.inject('/ledger/events?type=ActionAgreed&after=%31')).statusCode).toBe(200);
      expectProblem(await ctx.app.inject('/no-such-route?x=%ZZ'), 404, 'route-not-found');
    }));

  it('a lone surrogate in any string of the body → 400 malformed-unicode naming where', () =>
    unchanged(async () => {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/plans/dorset/actions/1.3/progress-updates',
        payload: '{"narrative":"AUG 2017 \\ud800 website","effectiveOn":"2017-08"}',
        headers: { 'content-type': 'application/json' },
      });
      expectProblem(res, 400, 'malformed-unicode');
      expect(res.json().detail).toContain('body.narrative');
    }));

  it('keeps tabs and line breaks, CR LF included, as part of a text', async () => {
    await seedPlan(ctx.app);
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/plans/dorset/actions/1.3/progress-updates',
      payload: { narrative: 'AUG 2017\tWebsite live.\r\nSEP 2017\nLeaflets printed.', effectiveOn: '2017-09' },
    });
    expect(res.statusCode, res.body).toBe(201);
  });

  it('a body nested thousands deep → 400, not a stack overflow', () =>
    unchanged(async () => {
      for (const payload of ['['.repeat(10_000) + ']'.repeat(10_000), '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)]) {
        const res = await ctx.app.inject({ method: 'POST', url: '/plans', payload, headers: { 'content-type': 'application/json' } });
        expect(res.statusCode).toBe(400);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    }));
});
