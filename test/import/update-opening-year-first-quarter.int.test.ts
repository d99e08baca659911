import { describe, expect, it } from 'vitest';
import { useSqliteStores } from '../support/sqlite-stores.ts';
import { FORMATS, render, type FixtureBlock } from './fixtures/plan-fixtures.ts';
import { importer, planEvents } from './import-support.ts';

/**
 * An update opening with a financial quarter written year first with a dash ("2018-19 Q2: …") is dated at the quarter's
 * end, as "2018/19 Q2: …" is: it was read as a month that does not exist (the 19th month of 2018), and the import
 * stopped at the gate with an impossible-date warning.
 */
const PLAN: FixtureBlock[] = [
  { p: 'Northshire crisis care action plan, position as at 30 November 2018' },
  {
    table: [
      ['No.', 'Action', 'Lead', 'Timescale', 'Progress update'],
      ['1.1', 'Audit crisis plans', 'Northshire ICB', 'December 2018', '2018-19 Q2: audit begun'],
      ['1.2', 'Train staff', 'Northshire ICB', 'December 2018', '2018/19 Q2: training begun'],
    ],
  },
];

describe('an update opening with a quarter written year first with a dash', () => {
  const stores = useSqliteStores();

  it.each(FORMATS)("is dated at the quarter's end, as with a slash (%s)", async (format) => {
    const store = stores.open({}, `year-first-${format}.db`);
    const summary = await importer(store)({ fileName: `northshire.${format}`, content: await render(format, PLAN), planId: 'northshire' });
    expect(summary.gate).toMatchObject({ blocking: 0, passes: true });
    const updates = (await planEvents(store, 'northshire'))
      .filter((e) => e.type === 'ProgressUpdateRecorded')
      .map((e) => [e.effectiveOn.date, (e.data as { narrative: string }).narrative]);
    expect(updates).toEqual([
      ['2018-09', 'audit begun'],
      ['2018-09', 'training begun'],
    ]);
  });
});
