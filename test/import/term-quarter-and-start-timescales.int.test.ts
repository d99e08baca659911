import { describe, expect, it } from 'vitest';
import { useSqliteStores } from '../support/sqlite-stores.ts';
import { FORMATS, render, type FixtureBlock } from './fixtures/plan-fixtures.ts';
import { dataOf, importer, planEvents } from './import-support.ts';

/**
 * Timescales trusts write that each have one clear reading: two seasons side by side, a school term, a financial
 * quarter with its year first, a quarter as the start of work that goes on, and a start said in the past tense. A plan
 * with them imports without stopping at the gate, each reading recorded and reported.
 */
const PLAN: FixtureBlock[] = [
  { p: 'Northshire children and young people crisis care action plan, position as at 30 November 2018' },
  {
    table: [
      ['No.', 'Action', 'Lead', 'Timescale'],
      ['1.1', 'Open a crisis café', 'Northshire ICB', 'Spring/Summer 2018'],
      ['1.2', 'Train school nurses', 'Northshire ICB', 'Autumn term 2018'],
      ['1.3', 'Audit crisis plans', 'Northshire ICB', '2018/19 Q1'],
      ['1.4', 'Run multi-agency reviews', 'Northshire ICB', 'Q1 2018/19 onwards'],
      ['1.5', 'Offer peer support at weekends', 'Northshire ICB', 'Started April 2018 and ongoing'],
      ['1.6', 'Train school staff', 'Northshire ICB', 'Spring term 2018/19'],
    ],
  },
];

describe('season pairs, school terms, year-first quarters and past starts in a real file', () => {
  const stores = useSqliteStores();

  it.each(FORMATS)('imports a %s plan with them without stopping, each due as its known form is, wording kept, warned', async (format) => {
    const store = stores.open({}, `terms-${format}.db`);
    const summary = await importer(store)({ fileName: `northshire.${format}`, content: await render(format, PLAN), planId: 'northshire' });
    expect(summary.gate).toMatchObject({ blocking: 0, passes: true });
    const actions = dataOf<{ ref: string; due: unknown }>(await planEvents(store, 'northshire'), 'ActionAgreed');
    expect(actions.map((a) => [a.ref, a.due])).toEqual([
      ['1.1', { kind: 'date', date: '2018-08', wording: 'Spring/Summer 2018' }],
      ['1.2', { kind: 'date', date: '2018-12', wording: 'Autumn term 2018' }],
      ['1.3', { kind: 'date', date: '2018-06', wording: '2018/19 Q1' }],
      ['1.4', { kind: 'ongoing', wording: 'Q1 2018/19 onwards' }],
      ['1.5', { kind: 'ongoing', wording: 'Started April 2018 and ongoing' }],
      ['1.6', { kind: 'date', date: '2019-04', wording: 'Spring term 2018/19' }],
    ]);
    const codes = summary.warnings.filter((w) => /^timescale|season/.test(w.code)).map((w) => [w.code, w.message.slice(0, 12)]);
    expect(codes).toEqual([
      ['season-timescale', 'action 1.1: '],
      ['season-timescale', 'action 1.2: '],
      ['timescale-open-ended', 'action 1.4: '],
      ['timescale-open-ended', 'action 1.5: '],
      ['season-timescale', 'action 1.6: '],
    ]);
    expect(summary.warnings.find((w) => w.message.startsWith('action 1.4'))?.message).toMatch(/names a start \(2018-04\) and no end/);
  });
});
