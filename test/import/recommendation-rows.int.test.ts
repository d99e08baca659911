import { describe, expect, it } from 'vitest';
import { FORMATS, type FixtureBlock } from './fixtures/plan-fixtures.ts';
import { readFixture } from './layout-support.ts';

/**
 * A table of recommendations with no action column, each row a recommendation with its own timescale and a RAG column
 * per period: its timescale is read and reported as an action's is, and its ratings are its history, as an action's are.
 */
const RECOMMENDATIONS: FixtureBlock[] = [
  { p: 'Independent investigation: progress on recommendations, updated 30 November 2018' },
  {
    table: [
      ['No.', 'Recommendation', 'Timescale', 'RAG Jun 2018', 'RAG Sep 2018', 'Progress update'],
      ['1', 'The Trust should audit crisis plans.', 'Summer 2018', 'Red', 'Amber', 'Audit begun.'],
      ['2', 'The Trust should train staff.', '30 February 2019', 'Amber', 'Green', 'Training booked.'],
    ],
  },
];

describe.each(FORMATS)('a row that is a recommendation (%s)', (format) => {
  it('reports what its timescale was read as, a date that does not exist among them, and records each dated rating', async () => {
    const { document, warnings } = await readFixture(format, RECOMMENDATIONS);
    expect(document.recommendations.map((r) => r.due)).toEqual([
      { kind: 'date', date: '2018-08', wording: 'Summer 2018' },
      { kind: 'undated', wording: '30 February 2019' },
    ]);
    expect(warnings.filter((w) => w.code === 'season-timescale' || w.code === 'impossible-date').map((w) => w.message)).toEqual([
      expect.stringMatching(/^recommendation 1: "Summer 2018"/),
      expect.stringMatching(/^recommendation 2: "30 February 2019"/),
    ]);
    expect(document.updates.map((u) => [u.target.ref, u.effectiveOn, u.narrative, u.reportedRag?.rating])).toEqual([
      ['1', '2018-06', 'RAG Jun 2018 reported in the plan: Red', 'Red'],
      ['1', '2018-09', 'RAG Sep 2018 reported in the plan: Amber', 'Amber'],
      ['1', '2018-11-30', 'Audit begun.', undefined],
      ['2', '2018-06', 'RAG Jun 2018 reported in the plan: Amber', 'Amber'],
      ['2', '2018-09', 'RAG Sep 2018 reported in the plan: Green', 'Green'],
      ['2', '2018-11-30', 'Training booked.', undefined],
    ]);
  });
});
