import { describe, expect, it } from 'vitest';
import { useSqliteStores } from '../support/sqlite-stores.ts';
import { FORMATS, render, type FixtureBlock } from './fixtures/plan-fixtures.ts';
import { dataOf, importer, planEvents } from './import-support.ts';

/**
 * "By Q1 2018 then ongoing" is due at the calendar quarter's end, as "By Q1 2018" is, and warned as it is: an NHS author
 * may have meant the financial quarter, three months later. Read since b847097 as a deadline with no word of the other
 * reading, its action showed overdue from April 2018 with nothing saying why it might not be.
 */
const PLAN: FixtureBlock[] = [
  { p: 'Northshire crisis care action plan, position as at 30 November 2018' },
  {
    table: [
      ['No.', 'Action', 'Lead', 'Timescale'],
      ['1.1', 'Audit crisis plans', 'Northshire ICB', 'By Q1 2018'],
      ['1.2', 'Run multi-agency reviews', 'Northshire ICB', 'By Q1 2018 then ongoing'],
      ['1.3', 'Offer peer support', 'Northshire ICB', 'By Q4 2018/19 then ongoing'],
    ],
  },
];

describe('a calendar quarter as a deadline the work goes on after', () => {
  const stores = useSqliteStores();

  it.each(FORMATS)('is due at its end and warned as the quarter alone is (%s)', async (format) => {
    const store = stores.open({}, `quarter-${format}.db`);
    const summary = await importer(store)({ fileName: `northshire.${format}`, content: await render(format, PLAN), planId: 'northshire' });
    const actions = dataOf<{ ref: string; due: unknown }>(await planEvents(store, 'northshire'), 'ActionAgreed');
    expect(actions.map((a) => [a.ref, a.due])).toEqual([
      ['1.1', { kind: 'date', date: '2018-03', wording: 'By Q1 2018' }],
      ['1.2', { kind: 'date', date: '2018-03', wording: 'By Q1 2018 then ongoing' }],
      ['1.3', { kind: 'date', date: '2019-03', wording: 'By Q4 2018/19 then ongoing' }],
    ]);
    expect(summary.warnings.filter((w) => w.code === 'ambiguous-quarter').map((w) => w.message)).toEqual([
      expect.stringMatching(/^action 1\.1: .*financial quarter it is 2018-06/),
      expect.stringMatching(/^action 1\.2: "By Q1 2018 then ongoing" read as a calendar quarter .*financial quarter it is 2018-06/),
    ]);
  });
});
