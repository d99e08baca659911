import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHistoryReader } from '../../projections/history/history-reader.ts';
import type { OrganisationAliases } from '../../src/organisations/organisation-aliases.ts';
import { recordDorsetPlan } from './dorset-scenario.ts';
import { openReadApp, type ReadApp } from './read-app.ts';

let r: ReadApp;
beforeAll(async () => {
  r = await openReadApp();
  await recordDorsetPlan(r);
});
afterAll(() => r.close());

const plansNow = async () => (await r.get('/plans')).json().plans as { planId: string; actions: number }[];
const ledBy = async (name: string) =>
  ((await r.get('/organisations')).json().organisations as { organisation: string; actionsLed: number }[]).find(
    (o) => o.organisation === name,
  )?.actionsLed ?? 0;

describe('the live lists and reports follow every write', () => {
  it('a new plan, a new action, a retraction and a reinstatement each show in the next read that waits for them', async () => {
    expect((await plansNow()).map((p) => p.planId)).toEqual(['dorset-ccc']);
    const policeBefore = await ledBy('Dorset Police');

    await r.post('/plans', {
      planId: 'avon-ccc',
      title: 'Avon Crisis Care Concordat',
      kind: 'crisis-care-concordat',
      owner: 'Dorset CCG',
      effectiveOn: '2016-01',
    });
    await r.post('/plans/avon-ccc/actions', {
      ref: '2.1',
      text: 'Joint training',
      leadOrganisations: ['Dorset Police'],
      due: { kind: 'date', date: '2016-06' },
      effectiveOn: '2016-01',
    });
    expect((await plansNow()).map((p) => p.planId)).toEqual(['avon-ccc', 'dorset-ccc']);
    expect(await ledBy('Dorset Police')).toBe(policeBefore + 1);

    await r.post('/plans/dorset-ccc/actions', {
      ref: '1.9',
      text: 'Crisis line',
      leadOrganisations: ['Dorset Police'],
      due: { kind: 'date', date: '2016-06' },
      effectiveOn: '2016-01',
    });
    expect(await ledBy('Dorset Police')).toBe(policeBefore + 2);

    await r.post('/plans/avon-ccc/retraction', { reason: 'Imported by mistake', effectiveOn: '2016-02' });
    expect((await plansNow()).map((p) => p.planId)).toEqual(['dorset-ccc']);
    expect(await ledBy('Dorset Police')).toBe(policeBefore + 1);

    await r.post('/plans/avon-ccc/reinstatement', { reason: 'It was ours after all', effectiveOn: '2016-03' });
    expect((await plansNow()).map((p) => p.planId)).toEqual(['avon-ccc', 'dorset-ccc']);
    expect(await ledBy('Dorset Police')).toBe(policeBefore + 2);
  });
});

describe('the list of organisations now follows the names the ledger learns', () => {
  it('an alias learned after a read merges two names of one organisation in the next read', async () => {
    for (const [ref, lead] of [
      ['3.1', 'Avon Fire'],
      ['3.2', 'Avon Fire & Rescue Service'],
    ] as const)
      await r.post('/plans/dorset-ccc/actions', {
        ref,
        text: 'Home safety visits',
        leadOrganisations: [lead],
        due: { kind: 'date', date: '2016-06' },
        effectiveOn: '2016-01',
      });
    expect(await ledBy('Avon Fire')).toBe(1);
    expect(await ledBy('Avon Fire & Rescue Service')).toBe(1);

    await (r.readModels.directory as OrganisationAliases).learn([{ name: 'Avon Fire & Rescue Service', aliases: ['Avon Fire'] }]);
    expect(await ledBy('Avon Fire')).toBe(0);
    expect(await ledBy('Avon Fire & Rescue Service')).toBe(2);
  });
});

describe('reading every plan at a point', () => {
  it('answers the same when one read needs more values than the reader keeps between reads', () => {
    const history = r.readModels.readStore.history;
    const roomy = createHistoryReader(history);
    const tight = createHistoryReader(history, { rememberedValues: 2 });
    // As a view sees them: each action's details read too (JSON reads them through their getters).
    const seen = (read: { plans: Iterable<unknown>; toFold: string[] } | unknown[]) =>
      JSON.parse(JSON.stringify(Array.isArray(read) ? read : { plans: [...read.plans], toFold: read.toFold })) as unknown;
    for (const at of [Number.POSITIVE_INFINITY, 3, 6]) {
      expect(seen(tight.linesAt('ledger', at))).toEqual(seen(roomy.linesAt('ledger', at)));
      expect(seen(tight.linesAt('ledger', at))).toEqual(seen(roomy.linesAt('ledger', at)));
    }
    expect(seen(tight.liveLines())).toEqual(seen(roomy.liveLines()));
  });

  it('gives the same plans however often and however interleaved its run is walked', () => {
    const history = r.readModels.readStore.history;
    const expected = JSON.stringify([...createHistoryReader(history).linesAt('ledger', Number.POSITIVE_INFINITY).plans]);
    const tight = createHistoryReader(history, { rememberedValues: 2 });
    const { plans } = tight.linesAt('ledger', Number.POSITIVE_INFINITY);
    expect(JSON.stringify([...plans])).toBe(expected);
    // Two walks side by side, each forgetting values the other needs.
    const first: unknown[] = [];
    const second: unknown[] = [];
    const a = plans[Symbol.iterator]();
    const b = tight.linesAt('ledger', Number.POSITIVE_INFINITY).plans[Symbol.iterator]();
    for (let x = a.next(), y = b.next(); !x.done || !y.done; x = a.next(), y = b.next()) {
      if (!x.done) first.push(JSON.parse(JSON.stringify(x.value)));
      if (!y.done) second.push(JSON.parse(JSON.stringify(y.value)));
    }
    expect(JSON.stringify(first)).toBe(expected);
    expect(JSON.stringify(second)).toBe(expected);
    expect(first.length).toBeGreaterThan(1);
  });
});
