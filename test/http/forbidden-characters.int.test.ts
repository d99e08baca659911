import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectProblem, post, seedPlan, useApp } from './app-harness.ts';

const TEMPLATE_CSV = fs.readFileSync(path.join(import.meta.dirname, '../../docs/templates/plan-template.csv'), 'utf8');

/**
 * No text the ledger records may hold a control character other than tab and line breaks:
 * whatever is built from the ledger (reports, exports, packs) must be able to carry it. Refused
 * with 422 forbidden-character naming the field, and nothing is written. (An unpaired surrogate,
 * which the decider refuses too, is refused earlier over HTTP: 400 malformed-unicode.)
 */
describe('texts the ledger will not record', () => {
  const ctx = useApp();
  /** `url` refuses `body`; the plan is seeded first. */
  const refused = async (url: string, body: object | (() => Promise<object>), field: RegExp, codePoint: string) => {
    await seedPlan(ctx.app);
    const payload = typeof body === 'function' ? await body() : body;
    const before = await ctx.store.count();
    const problem = expectProblem(await post(ctx.app, url, payload), 422, 'forbidden-character');
    expect(problem.detail).toMatch(field);
    expect(problem.detail).toContain(codePoint);
    expect(await ctx.store.count()).toBe(before);
  };

  it('refuses a NUL in a progress narrative', () =>
    refused('/plans/dorset/actions/1.3/progress-updates', { narrative: 'Reviewed\u0000 at board' }, /^narrative /, 'U+0000'));

  it("refuses a vertical tab in a correction's changes", () =>
    refused(
      '/plans/dorset/corrections',
      async () => {
        const { events } = (await ctx.app.inject('/ledger/events?type=ActionAgreed')).json() as { events: { eventId: string }[] };
        return { correctedEventId: events[0]!.eventId, changes: { text: 'Mapping\u000Bservices' }, reason: 'Typed wrongly' };
      },
      /^changes\.text /,
      'U+000B',
    ));

  it('refuses an escape character in a list of organisations', () =>
    refused(
      '/plans/dorset/actions',
      { ref: '9.1', text: 'T', leadOrganisations: ['Dorset CCG', 'Dorset \u001BPolice'], due: { kind: 'ongoing' } },
      /^leadOrganisations\.1 /,
      'U+001B',
    ));

  it("refuses a C1 control in an organisation's name, which a terminal reads as the start of an escape", () =>
    refused(
      '/plans/dorset/actions',
      { ref: '9.1', text: 'T', leadOrganisations: ['Dorset \u009B2JPolice'], due: { kind: 'ongoing' } },
      /^leadOrganisations\.0 /,
      'U+009B',
    ));

  it('refuses a DEL in a progress narrative', () =>
    refused('/plans/dorset/actions/1.3/progress-updates', { narrative: 'Reviewed\u007F at board' }, /^narrative /, 'U+007F'));

  it('refuses a right-to-left override in a progress rating, which would show the text after it backwards', () =>
    refused(
      '/plans/dorset/actions/1.3/progress-updates',
      { narrative: 'Reviewed at board', reportedRag: { rating: 'Green\u202E' } },
      /^reportedRag\.rating .*reorder the text shown after them/,
      'U+202E',
    ));

  it("refuses a bidirectional isolate in an organisation's name", () =>
    refused(
      '/plans/dorset/actions',
      { ref: '9.1', text: 'T', leadOrganisations: ['\u2067Dorset Police'], due: { kind: 'ongoing' } },
      /^leadOrganisations\.0 /,
      'U+2067',
    ));

  it('records text in a right-to-left script, with the marks that set a direction, as given', async () => {
    await seedPlan(ctx.app);
    const narrative = 'Leaflet translated into Arabic: \u0645\u0646\u0634\u0648\u0631\u200F (v2)\u200E';
    const response = await post(ctx.app, '/plans/dorset/actions/1.3/progress-updates', { narrative });
    expect(response.statusCode, response.body).toBe(201);
    const { events } = (await ctx.app.inject('/ledger/events?type=ProgressUpdateRecorded')).json() as {
      events: { data: { narrative: string } }[];
    };
    expect(events.at(-1)!.data.narrative).toBe(narrative);
  });

  it('records tabs, line breaks and characters beyond the first plane as given', async () => {
    await seedPlan(ctx.app);
    const narrative = 'First line\r\n\tIndented line\nSecond paragraph 👍, Café ¡ ~';
    const response = await post(ctx.app, '/plans/dorset/actions/1.3/progress-updates', { narrative });
    expect(response.statusCode, response.body).toBe(201);
    const { events } = (await ctx.app.inject('/ledger/events?type=ProgressUpdateRecorded')).json() as {
      events: { data: { narrative: string } }[];
    };
    expect(events.at(-1)!.data.narrative).toBe(narrative);
  });

  it('refuses an import whose rows hold a control character, naming it, and writes nothing', async () => {
    const content = TEMPLATE_CSV.replace('Not started', 'Not\u0007started');
    const response = await post(ctx.app, '/imports', { fileName: 'plan.csv', content });
    expect(response.statusCode, response.body).toBe(422);
    expect(response.json()).toMatchObject({ code: 'import-refused', line: 2 });
    expect(response.json().detail).toMatch(/ragLegend\.0\.meaning holds U\+0007.*\(forbidden-character\); nothing was imported/);
    expect(await ctx.store.count()).toBe(0);
  });

  it('answers a correction nested thousands deep with a refusal, not a server error', async () => {
    await seedPlan(ctx.app);
    const { events } = (await ctx.app.inject('/ledger/events?type=ActionAgreed')).json() as { events: { eventId: string }[] };
    const deep = `${'{"inner":'.repeat(8000)}"Mapping services"${'}'.repeat(8000)}`;
    const before = await ctx.store.count();
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/plans/dorset/corrections',
      headers: { 'content-type': 'application/json' },
      payload: `{"correctedEventId":"${events[0]!.eventId}","changes":{"text":${deep}},"reason":"Typed wrongly"}`,
    });
    expect(response.statusCode, response.body.slice(0, 300)).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expect(await ctx.store.count()).toBe(before);
  });

  it('refuses an import whose file name, which every event records as where it came from, holds a control character', async () => {
    const response = await post(ctx.app, '/imports', { fileName: 'dor\u0001set.csv', content: TEMPLATE_CSV });
    expect(response.statusCode, response.body).toBe(422);
    expect(response.json().detail).toMatch(/provenance\.file holds U\+0001/);
    expect(await ctx.store.count()).toBe(0);
  });
});
