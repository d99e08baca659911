import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openReadApp, type ReadApp } from './read-app.ts';

let r: ReadApp;
beforeEach(async () => {
  r = await openReadApp();
  await r.post('/plans', { planId: 'p', title: 'Plan', kind: 'other', owner: 'Dorset CCG', effectiveOn: '2016-01' });
  const agree = (ref: string) =>
    r.post('/plans/p/actions', {
      ref,
      text: `Action ${ref}`,
      leadOrganisations: ['Dorset CCG'],
      due: { kind: 'ongoing' },
      effectiveOn: '2016-01',
    });
  await agree('1.1');
  await agree('1.2');
  await agree('1.3');
});
afterEach(() => r.close());

const statuses = async () =>
  Object.fromEntries(((await r.get('/plans/p')).json().actions as { ref: string; status: string }[]).map((a) => [a.ref, a.status]));

describe("an action's status from its events", () => {
  it('is open until an update, in progress after one, and in progress when reopened after a closure with no update since', async () => {
    await r.post('/plans/p/actions/1.2/progress-updates', { narrative: 'Started', effectiveOn: '2016-02' });
    await r.post('/plans/p/actions/1.3/completion', { completedOn: '2016-03' });
    expect(await statuses()).toEqual({ '1.1': 'open', '1.2': 'inProgress', '1.3': 'completed' });
    await r.post('/plans/p/actions/1.3/reopening', { reason: 'The board found the service not yet running' });
    expect(await statuses()).toEqual({ '1.1': 'open', '1.2': 'inProgress', '1.3': 'inProgress' });
  });
});
