import { describe, expect, it } from 'vitest';
import { useSqliteStores } from '../support/sqlite-stores.ts';
import { FORMATS, render, type FixtureBlock } from './fixtures/plan-fixtures.ts';
import { importer, planEvents } from './import-support.ts';

/**
 * A row spanning the table under an action, or a paragraph after the table, that opens with a quarter ("Q1 2018/19:
 * …") is an update of the action above, dated at the quarter's end, as one opening with a month ("AUG 2017 …") is and as
 * the same words in the action's own cell are: it was left out of the plan as text outside it.
 */
const HEADER = ['No.', 'Action', 'Lead', 'Timescale', 'Progress update'];
const plan = (after: FixtureBlock[], spanning: FixtureBlock[] = []): FixtureBlock[] => [
  { p: 'Northshire crisis care action plan, position as at 30 November 2018' },
  {
    table: [
      HEADER,
      ['1.1', 'Open a crisis café', 'Northshire ICB', 'December 2018', 'Premises found.'],
      ...spanning.flatMap((b) => ('p' in b ? [{ span: b.p }] : [])),
    ],
  },
  ...after,
];

describe('a quarter opening the text under an action', () => {
  const stores = useSqliteStores();

  it.each(FORMATS)('in a row spanning the table is an update of that action (%s)', async (format) => {
    const store = stores.open({}, `span-${format}.db`);
    const content = await render(format, plan([], [{ p: 'Q1 2018/19: 40 of 60 letters audited' }]));
    const summary = await importer(store)({ fileName: `northshire.${format}`, content, planId: 'northshire' });
    expect(summary.warnings.filter((w) => w.code === 'text-outside-plan')).toEqual([]);
    const updates = (await planEvents(store, 'northshire'))
      .filter((e) => e.type === 'ProgressUpdateRecorded')
      .map((e) => [e.effectiveOn.date, (e.data as { narrative: string }).narrative]);
    expect(updates).toContainEqual(['2018-06', '40 of 60 letters audited']);
  });

  it.each(FORMATS.filter((f) => f !== 'xlsx'))('in a paragraph after the table is an update of the action above (%s)', async (format) => {
    const store = stores.open({}, `after-${format}.db`);
    const content = await render(format, plan([{ p: 'Q1 2018/19: 40 of 60 letters audited' }]));
    const summary = await importer(store)({ fileName: `northshire.${format}`, content, planId: 'northshire' });
    expect(summary.warnings.filter((w) => w.code === 'text-outside-plan')).toEqual([]);
    const updates = (await planEvents(store, 'northshire'))
      .filter((e) => e.type === 'ProgressUpdateRecorded')
      .map((e) => [e.effectiveOn.date, (e.data as { narrative: string }).narrative]);
    expect(updates).toContainEqual(['2018-06', '40 of 60 letters audited']);
  });
});
