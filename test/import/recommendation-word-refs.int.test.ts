import { describe, expect, it } from 'vitest';
import { useSqliteStores } from '../support/sqlite-stores.ts';
import { FORMATS, render, type FixtureBlock } from './fixtures/plan-fixtures.ts';
import { dataOf, importer, planEvents } from './import-support.ts';

/**
 * A number column that writes each recommendation's number with its word ("Rec 3", "Recommendation 4", "Rec. 5"): each
 * row is read as a recommendation in every format (a text export took the first for a header label), its ref as written
 * without its spaces, as a Word or Excel table's always was, so that a plan imported before is matched by its refs.
 */
const PLAN: FixtureBlock[] = [
  { p: 'Independent investigation: progress on recommendations, updated 30 November 2018' },
  {
    table: [
      ['Ref', 'Recommendation', 'Timescale', 'Progress update'],
      ['Rec 3', 'The Trust should audit crisis plans.', 'December 2018', 'Nov 2018: audit begun.'],
      ['Recommendation 4', 'The Trust should train staff.', 'March 2019', 'Nov 2018: training booked.'],
      ['Rec. 5', 'The Trust should review the section 136 suite.', 'June 2019', 'Nov 2018: review planned.'],
      ['R6', 'The Trust should share the learning.', 'June 2019', 'Nov 2018: learning event held.'],
    ],
  },
];

describe('a recommendation numbered with its word in a number column', () => {
  const stores = useSqliteStores();

  it.each(FORMATS)('is recorded (%s) under its ref as written, without its spaces', async (format) => {
    const store = stores.open({}, `rec-refs-${format}.db`);
    const summary = await importer(store)({ fileName: `investigation.${format}`, content: await render(format, PLAN), planId: 'si' });
    expect(summary.gate).toMatchObject({ blocking: 0, passes: true });
    const recommendations = dataOf<{ ref: string; text: string }>(await planEvents(store, 'si'), 'RecommendationRecorded');
    expect(recommendations.map((r) => [r.ref, r.text])).toEqual([
      ['Rec3', 'The Trust should audit crisis plans.'],
      ['Recommendation4', 'The Trust should train staff.'],
      ['Rec.5', 'The Trust should review the section 136 suite.'],
      ['R6', 'The Trust should share the learning.'],
    ]);
  });
});
