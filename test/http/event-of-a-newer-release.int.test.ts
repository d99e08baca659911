import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app/http/app.ts';
import { planStream } from '../../events/streams.ts';
import type { EventStore } from '../../src/store/port.ts';
import { recordDorsetPlan } from '../projections/dorset-scenario.ts';
import { openReadApp } from '../projections/read-app.ts';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import { makeEvent } from '../support/events.ts';
import { browserFor, hiddenFieldsOf } from '../web/web-support.ts';
import { CLOCK, expectProblem, OPERATOR, post, seedPlan, useApp } from './app-harness.ts';

const UPGRADE =
  'The ledger holds an event of a type, or a version of one, that this release of the service does not know ' +
  '(written by a newer release): nothing was written. Try again shortly; if this goes on, the service needs upgrading';

/** Appends to a plan's stream an event of a type no release has had yet, as a newer release would write one. */
const appendNewerEvent = async (store: EventStore, planId: string) => {
  const stream = planStream(planId);
  let revision = -1n;
  for await (const event of store.readStream(stream)) revision = event.revision;
  const later = makeEvent({ type: 'ActionArchived', data: { ref: '1.3' } });
  await store.append({ stream, events: [later], expectedRevision: revision, commandId: later.commandId });
};

/** A logger whose lines the test reads. */
const capturedLog = () => {
  const lines: { level: number; code?: string; err?: { message: string } }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const failures = () => lines.filter((l) => l.level >= 50 && l.code === 'unknown-event-type').map((l) => l.err?.message);
  return { logger, failures };
};

/**
 * Several instances share one ledger, so during an upgrade an instance of the older release meets events only the newer
 * release writes. That is the service's fault, not the request's: told 400, a client would change a request that was
 * right, or give up; told 503 with Retry-After, it retries, maybe on an instance already upgraded. The operator reads
 * which type it was in the service's log.
 */
describe('a plan holding an event of a type this release does not know', () => {
  const ctx = useApp();
  const open = useSecuredLedger();

  it('refuses a command on it with 503 unknown-event-type and Retry-After, logs the type at error level, and writes nothing', async () => {
    const { logger, failures } = capturedLog();
    const app = await buildApp({ store: ctx.store, operator: OPERATOR, clock: CLOCK, logger });
    try {
      await seedPlan(app);
      await appendNewerEvent(ctx.store, 'dorset');
      const before = await ctx.store.count();
      const res = await post(app, '/plans/dorset/actions/1.3/progress-updates', { narrative: 'Mapped the services' });
      expect(expectProblem(res, 503, 'unknown-event-type').detail).toBe(UPGRADE);
      expect(res.headers['retry-after']).toBe('1');
      expect(await ctx.store.count()).toBe(before);
      expect(failures()).toEqual(['unknown event type "ActionArchived"']);
    } finally {
      await app.close();
    }
  });

  it('answers a read that folds it with the same 503', async () => {
    const r = await openReadApp();
    try {
      await recordDorsetPlan(r);
      await appendNewerEvent(r.store, 'dorset-ccc');
      const before = await r.store.count();
      for (const url of ['/plans/dorset-ccc/timeline', '/plans/dorset-ccc?effectiveOn=2020-01'])
        expect(expectProblem(await r.app.inject(url), 503, 'unknown-event-type').detail, url).toBe(UPGRADE);
      expect(await r.store.count()).toBe(before);
    } finally {
      await r.close();
    }
  });

  it('shows a form sent on it the same words, logs the type at error level, and records nothing', async () => {
    const { logger, failures } = capturedLog();
    const ledger = await open({}, { web: {}, logger });
    await seedDorsetPlan(ledger);
    const browser = browserFor(ledger);
    await browser.signIn(await ledger.keyFor('contributor', 'Dorset CCG'));
    const form = '/web/plans/dorset/actions/1.3/progress-update';
    const page = await browser.get(form);
    await appendNewerEvent(ledger.store, 'dorset');
    const before = await ledger.store.count();
    const res = await browser.submit(form, form, {
      ...hiddenFieldsOf(page.body),
      narrative: 'AUG 2017 The website is live',
      'effectiveOn-day': '',
      'effectiveOn-month': '8',
      'effectiveOn-year': '2017',
    });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('this release of the service does not know');
    expect(await ledger.store.count()).toBe(before);
    expect(failures()).toEqual(['unknown event type "ActionArchived"']);
  });
});
