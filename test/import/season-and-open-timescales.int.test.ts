import { describe, expect, it } from 'vitest';
import { useSqliteStores } from '../support/sqlite-stores.ts';
import { render, type FixtureBlock, type FixtureFormat } from './fixtures/plan-fixtures.ts';
import { dataOf, importer, planEvents } from './import-support.ts';

/**
 * Timescales as trusts write them that are neither a month nor a day: a season, a financial quarter, and a start
 * with no end ("April 2018 onwards", "From April 2018"). A safeguarding lead's file with these imports without
 * being stopped at the gate, each reading reported.
 */
const SEASONS: FixtureBlock[] = [
  { p: 'Northshire crisis care action plan, position as at 30 November 2018' },
  {
    table: [
      ['No.', 'Action', 'Lead', 'Timescale'],
      ['1.1', 'Open a crisis café', 'Northshire ICB', 'Summer 2018'],
      ['1.2', 'Train front-desk staff', 'Northshire ICB', 'Autumn 2019'],
      ['1.3', 'Plan winter bed capacity', 'Northshire ICB', 'Winter 2018/19'],
      ['1.4', 'Review the section 136 suite', 'Northshire Police', 'Spring 2020'],
      ['1.5', 'Audit crisis plans', 'Northshire ICB', 'End of Q2 2018/19'],
      ['1.6', 'Run monthly multi-agency reviews', 'Northshire ICB', 'April 2018 onwards'],
      ['1.7', 'Keep the crisis line staffed', 'Northshire ICB', 'Ongoing'],
      ['1.8', 'Offer peer support at weekends', 'Northshire ICB', 'From April 2018'],
    ],
  },
];

describe('seasons, quarters and open-ended timescales in a real file', () => {
  const stores = useSqliteStores();

  it.each(['docx', 'xlsx'] as FixtureFormat[])(
    'imports a %s plan with them without stopping: a season or quarter due at its end, a start with no end ongoing with no deadline, wording kept, each warned',
    async (format) => {
      const store = stores.open({}, `seasons-${format}.db`);
      const summary = await importer(store)({
        fileName: `northshire.${format}`,
        content: await render(format, SEASONS),
        planId: 'northshire',
      });
      expect(summary.gate).toMatchObject({ blocking: 0, passes: true });
      const actions = dataOf<{ ref: string; due: unknown }>(await planEvents(store, 'northshire'), 'ActionAgreed');
      expect(actions.map((a) => [a.ref, a.due])).toEqual([
        ['1.1', { kind: 'date', date: '2018-08', wording: 'Summer 2018' }],
        ['1.2', { kind: 'date', date: '2019-11', wording: 'Autumn 2019' }],
        ['1.3', { kind: 'date', date: '2019-02', wording: 'Winter 2018/19' }],
        ['1.4', { kind: 'date', date: '2020-05', wording: 'Spring 2020' }],
        ['1.5', { kind: 'date', date: '2018-09', wording: 'End of Q2 2018/19' }],
        ['1.6', { kind: 'ongoing', wording: 'April 2018 onwards' }],
        ['1.7', { kind: 'ongoing', wording: 'Ongoing' }],
        ['1.8', { kind: 'ongoing', wording: 'From April 2018' }],
      ]);
      const codes = summary.warnings.filter((w) => /^timescale|season/.test(w.code)).map((w) => [w.code, w.message.slice(0, 12)]);
      expect(codes).toEqual([
        ['season-timescale', 'action 1.1: '],
        ['season-timescale', 'action 1.2: '],
        ['season-timescale', 'action 1.3: '],
        ['season-timescale', 'action 1.4: '],
        ['timescale-open-ended', 'action 1.6: '],
        ['timescale-open-ended', 'action 1.8: '],
      ]);
    },
  );
});
