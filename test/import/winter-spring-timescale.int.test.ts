import { describe, expect, it } from 'vitest';
import { useSqliteStores } from '../support/sqlite-stores.ts';
import { FORMATS, render, type FixtureBlock } from './fixtures/plan-fixtures.ts';
import { dataOf, importer, planEvents } from './import-support.ts';

/**
 * "Winter/Spring 2018/19", a winter and the spring after it written with the winter's pair of years as winter plans
 * write it, is due at the end of that spring (May 2019), as "Autumn/Winter 2018/19" is due at the winter's end; it
 * stopped the import at the gate as a timescale not understood, though two seasons side by side were read since b847097.
 */
const PLAN: FixtureBlock[] = [
  { p: 'Northshire winter crisis care action plan, position as at 30 November 2018' },
  {
    table: [
      ['No.', 'Action', 'Lead', 'Timescale'],
      ['1.1', 'Open a winter crisis café', 'Northshire ICB', 'Winter/Spring 2018/19'],
      ['1.2', 'Staff the crisis line at night', 'Northshire ICB', 'Autumn/Winter 2018/19'],
    ],
  },
];

describe("a winter and the spring after it, with the winter's years", () => {
  const stores = useSqliteStores();

  it.each(FORMATS)('is due at the end of that spring, warned, without stopping the import (%s)', async (format) => {
    const store = stores.open({}, `winter-spring-${format}.db`);
    const summary = await importer(store)({ fileName: `northshire.${format}`, content: await render(format, PLAN), planId: 'northshire' });
    expect(summary.gate).toMatchObject({ blocking: 0, passes: true });
    const actions = dataOf<{ ref: string; due: unknown }>(await planEvents(store, 'northshire'), 'ActionAgreed');
    expect(actions.map((a) => [a.ref, a.due])).toEqual([
      ['1.1', { kind: 'date', date: '2019-05', wording: 'Winter/Spring 2018/19' }],
      ['1.2', { kind: 'date', date: '2019-02', wording: 'Autumn/Winter 2018/19' }],
    ]);
    expect(summary.warnings.find((w) => w.message.startsWith('action 1.1'))).toMatchObject({
      code: 'season-timescale',
      message: expect.stringContaining('read as the end of spring 2019 (March–May)'),
    });
  });
});
