import { describe, expect, it } from 'vitest';
import { useSqliteStores } from '../support/sqlite-stores.ts';
import { render, type FixtureBlock } from './fixtures/plan-fixtures.ts';
import { importer, planEvents } from './import-support.ts';

const tracker = (asAt: string, header: string[], ratings: string[], progress: string): FixtureBlock[] => [
  { p: `Northshire crisis care action plan, position as at ${asAt}` },
  {
    table: [
      ['No.', 'Action', 'Lead', 'Timescale', ...header, 'Progress update'],
      ['1.1', 'Open a crisis café', 'Northshire ICB', 'March 2019', ...ratings, progress],
    ],
  },
];

type Update = { narrative: string; reportedRag?: { rating: string } };

/**
 * A tracker laid out with a RAG column for each period of the year ahead, filled in one period at a time: its first
 * version has only June's filled in, the next June's and September's. June's rating is one rating, recorded once.
 */
describe("a tracker with its later periods' RAG columns still empty", () => {
  const stores = useSqliteStores();

  it('records the June rating once, at June, when the next version fills in September', async () => {
    const store = stores.open();
    const run = importer(store);
    await run({
      fileName: 'june.xlsx',
      content: await render('xlsx', tracker('30 June 2018', ['RAG Jun 2018', 'RAG Sep 2018'], ['Red', ''], 'Premises found.')),
      planId: 'northshire',
    });
    await run({
      fileName: 'september.xlsx',
      content: await render('xlsx', tracker('30 September 2018', ['RAG Jun 2018', 'RAG Sep 2018'], ['Red', 'Amber'], 'Premises found.')),
      planId: 'northshire',
    });
    const ratings = (await planEvents(store, 'northshire'))
      .filter((e) => e.type === 'ProgressUpdateRecorded')
      .map((e) => [(e.data as Update).narrative, e.effectiveOn.date, (e.data as Update).reportedRag?.rating]);
    expect(ratings).toEqual([
      ['RAG Jun 2018 reported in the plan: Red', '2018-06', 'Red'],
      ['Premises found.', '2018-06-30', undefined],
      ['RAG Sep 2018 reported in the plan: Amber', '2018-09', 'Amber'],
    ]);
  });
});
