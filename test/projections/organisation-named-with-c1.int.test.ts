import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEvent } from '../support/events.ts';
import { recordDorsetPlan } from './dorset-scenario.ts';
import { openReadApp, type ReadApp } from './read-app.ts';

let r: ReadApp;
beforeAll(async () => {
  r = await openReadApp();
  await recordDorsetPlan(r);
});
afterAll(() => r.close());

/**
 * DEL and the C1 controls were recorded until the decider refused them (src/domain/plan/texts.ts), so
 * a ledger may hold a name with one: a reader asking for it by that name is answered, not refused.
 */
describe('an organisation recorded with a C1 control in its name', () => {
  it('is found by that name, and a new action naming it is refused', async () => {
    const agreed = (await r.app.inject('/ledger/events?type=ActionAgreed')).json().events[0] as {
      stream: string;
      schemaVersion: number;
      data: Record<string, unknown>;
    };
    let revision = -1n;
    for await (const event of r.store.readStream(agreed.stream)) revision = event.revision;
    const name = 'St John\u0092s Ambulance';
    const older = makeEvent({
      type: 'ActionAgreed',
      schemaVersion: agreed.schemaVersion,
      data: { ...agreed.data, ref: '9.1', leadOrganisations: [name] },
    });
    const { lastPosition } = await r.store.append({
      stream: agreed.stream,
      events: [older],
      expectedRevision: revision,
      commandId: older.commandId,
    });

    const account = await r.app.inject(`/organisations/${encodeURIComponent(name)}?minPosition=${lastPosition}`);
    expect(account.statusCode, account.body).toBe(200);
    expect(account.json().organisation).toBe(name);

    const before = await r.store.count();
    const planId = agreed.stream.replace(/^plan-/, '');
    const refused = await r.app.inject({
      method: 'POST',
      url: `/plans/${planId}/actions`,
      payload: { ref: '9.2', text: 'T', leadOrganisations: [name], due: { kind: 'ongoing' } },
    });
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json().code).toBe('forbidden-character');
    expect(await r.store.count()).toBe(before);
  });
});
