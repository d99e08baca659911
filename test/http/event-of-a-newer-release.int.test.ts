import { describe, expect, it } from 'vitest';
import { planStream } from '../../events/streams.ts';
import type { EventStore } from '../../src/store/port.ts';
import { recordDorsetPlan } from '../projections/dorset-scenario.ts';
import { openReadApp } from '../projections/read-app.ts';
import { makeEvent } from '../support/events.ts';
import { expectProblem, post, seedPlan, useApp } from './app-harness.ts';

const UPGRADE =
  'The ledger holds an event of a type, or a version of one, that this release of the service does not know ' +
  '(written by a newer release): nothing was written; upgrade this instance';

/** Appends to a plan's stream an event of a type no release has had yet, as a newer release would write one. */
const appendNewerEvent = async (store: EventStore, planId: string) => {
  const stream = planStream(planId);
  let revision = -1n;
  for await (const event of store.readStream(stream)) revision = event.revision;
  const later = makeEvent({ type: 'ActionArchived', data: { ref: '1.3' } });
  await store.append({ stream, events: [later], expectedRevision: revision, commandId: later.commandId });
};

/**
 * Several instances share one ledger, so during an upgrade an instance of the older release meets events only the newer
 * release writes. That is the service's fault, not the request's: a client told 400 would change a request that was
 * right, or give up, rather than retry once the instance is upgraded.
 */
describe('a plan holding an event of a type this release does not know', () => {
  const ctx = useApp();

  it('refuses a command on it with 500 unknown-event-type, saying to upgrade the instance, and writes nothing', async () => {
    await seedPlan(ctx.app);
    await appendNewerEvent(ctx.store, 'dorset');
    const before = await ctx.store.count();
    const refused = expectProblem(
      await post(ctx.app, '/plans/dorset/actions/1.3/progress-updates', { narrative: 'Mapped the services' }),
      500,
      'unknown-event-type',
    );
    expect(refused.detail).toBe(UPGRADE);
    expect(await ctx.store.count()).toBe(before);
  });

  it('answers a read that folds it with the same 500', async () => {
    const r = await openReadApp();
    try {
      await recordDorsetPlan(r);
      await appendNewerEvent(r.store, 'dorset-ccc');
      const before = await r.store.count();
      for (const url of ['/plans/dorset-ccc/timeline', '/plans/dorset-ccc?effectiveOn=2020-01'])
        expect(expectProblem(await r.app.inject(url), 500, 'unknown-event-type').detail, url).toBe(UPGRADE);
      expect(await r.store.count()).toBe(before);
    } finally {
      await r.close();
    }
  });
});
