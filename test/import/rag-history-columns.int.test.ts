import { describe, expect, it } from 'vitest';
import type { EventStore } from '../../src/store/port.ts';
import { useSqliteStores } from '../support/sqlite-stores.ts';
import { render, type FixtureBlock, type FixtureFormat } from './fixtures/plan-fixtures.ts';
import { importer, planEvents } from './import-support.ts';

/**
 * A tracker with a RAG column per reporting period: each rating is history the board saw, so the ledger records each
 * as its own update, dated by its column, oldest first, and the action's rating now is the latest.
 */
const planWith = (header: string[], ratings: string[]): FixtureBlock[] => [
  { p: 'Northshire crisis care action plan, position as at 30 November 2018' },
  {
    table: [
      ['No.', 'Action', 'Lead', 'Timescale', ...header, 'Progress update'],
      ['1.1', 'Open a crisis café', 'Northshire ICB', 'March 2019', ...ratings, 'Premises found.'],
    ],
  },
];

type Update = { narrative: string; reportedRag?: { rating: string } };

const importAndRead = async (store: EventStore, format: FixtureFormat, blocks: FixtureBlock[], acceptWarnings = false) => {
  const summary = await importer(store)({
    fileName: `northshire.${format}`,
    content: await render(format, blocks),
    planId: 'northshire',
    acceptWarnings,
  });
  const events = await planEvents(store, 'northshire');
  const updates = events
    .filter((e) => e.type === 'ProgressUpdateRecorded')
    .map((e) => [(e.data as Update).narrative, e.effectiveOn.date, (e.data as Update).reportedRag?.rating]);
  return { summary, updates };
};

describe('a RAG column per period', () => {
  const stores = useSqliteStores();

  it.each(['docx', 'xlsx'] as FixtureFormat[])(
    'records each dated rating (%s) as its own update in date order, the latest the rating now',
    async (format) => {
      const store = stores.open({}, `dated-${format}.db`);
      const { summary, updates } = await importAndRead(
        store,
        format,
        planWith(['RAG Jun 2018', 'Q2 2018/19 RAG', 'RAG Oct 2018'], ['Red', 'Amber', 'Green']),
      );
      expect(summary.gate).toMatchObject({ blocking: 0 });
      expect(updates).toEqual([
        ['RAG Jun 2018 reported in the plan: Red', '2018-06', 'Red'],
        ['Q2 2018/19 RAG reported in the plan: Amber', '2018-09', 'Amber'],
        ['RAG Oct 2018 reported in the plan: Green', '2018-10', 'Green'],
        ['Premises found.', '2018-11-30', undefined],
      ]);
    },
  );

  it.each(['docx', 'xlsx'] as FixtureFormat[])(
    'reads "Status Jun 2018" and "Status Q2 2018/19" headings (%s) as dated RAG columns, not unknown ones',
    async (format) => {
      const store = stores.open({}, `status-${format}.db`);
      const { summary, updates } = await importAndRead(store, format, planWith(['Status Jun 2018', 'Status Q2 2018/19'], ['Red', 'Green']));
      expect(summary.gate).toMatchObject({ blocking: 0 });
      expect(updates).toEqual([
        ['Status Jun 2018 reported in the plan: Red', '2018-06', 'Red'],
        ['Status Q2 2018/19 reported in the plan: Green', '2018-09', 'Green'],
        ['Premises found.', '2018-11-30', undefined],
      ]);
    },
  );

  it.each(['docx', 'xlsx'] as FixtureFormat[])(
    'reads a period in brackets after "Status" (%s) as a dated RAG column\'s, "Status (Sept-18)" as "Status Sept-18" is',
    async (format) => {
      const store = stores.open({}, `bracketed-${format}.db`);
      const { summary, updates } = await importAndRead(
        store,
        format,
        planWith(['Status (Sept-18)', 'Status [Nov 2018]'], ['Amber', 'Green']),
      );
      expect(summary.gate).toMatchObject({ blocking: 0 });
      expect(updates).toEqual([
        ['Status (Sept-18) reported in the plan: Amber', '2018-09', 'Amber'],
        ['Status [Nov 2018] reported in the plan: Green', '2018-11', 'Green'],
        ['Premises found.', '2018-11-30', undefined],
      ]);
    },
  );

  it('records only the new rating when a later version of the tracker adds a column for the next period', async () => {
    const store = stores.open();
    const run = importer(store);
    const first = await render('xlsx', planWith(['RAG Jun 2018', 'RAG Sep 2018'], ['Red', 'Amber']));
    await run({ fileName: 'september.xlsx', content: first, planId: 'northshire' });
    expect((await run({ fileName: 'september.xlsx', content: first, planId: 'northshire' })).events).toBe(0);
    const later = await render('xlsx', planWith(['RAG Jun 2018', 'RAG Sep 2018', 'RAG Nov 2018'], ['Red', 'Amber', 'Green']));
    const summary = await run({ fileName: 'november.xlsx', content: later, planId: 'northshire' });
    expect(summary.recorded.updates).toBe(1);
    const ratings = (await planEvents(store, 'northshire'))
      .filter((e) => e.type === 'ProgressUpdateRecorded')
      .map((e) => [e.effectiveOn.date, (e.data as Update).reportedRag?.rating]);
    expect(ratings).toEqual([
      ['2018-06', 'Red'],
      ['2018-09', 'Amber'],
      ['2018-11-30', undefined],
      ['2018-11', 'Green'],
    ]);
  });

  it.each(['docx', 'xlsx', 'txt'] as FixtureFormat[])(
    "holds a rating whose heading's period ends after the document's date (%s) to that date, as an update opening so is",
    async (format) => {
      const store = stores.open({}, `after-document-${format}.db`);
      const { summary, updates } = await importAndRead(
        store,
        format,
        planWith(['Q2 2018/19 RAG', 'Q3 2018/19 RAG', 'RAG Dec 2018'], ['Red', 'Amber', 'Green']),
        true,
      );
      // The quarter under way is held as a quarter an update opens with is; December, a month after the document's date,
      // stops at the gate (update-after-document) and is held once accepted.
      expect(summary.gate).toMatchObject({ blocking: 1, passes: true, accepted: true });
      // As at 30 November 2018: the board had not seen the quarter out, nor December, when the document reported them.
      expect(updates).toEqual([
        ['Q2 2018/19 RAG reported in the plan: Red', '2018-09', 'Red'],
        ['Q3 2018/19 RAG reported in the plan: Amber', '2018-11-30', 'Amber'],
        ['RAG Dec 2018 reported in the plan: Green', '2018-11-30', 'Green'],
        ['Premises found.', '2018-11-30', undefined],
      ]);
      const held = summary.warnings.filter((w) => w.code === 'update-period-after-document' || w.code === 'update-after-document');
      expect(held.map((w) => [w.code, w.blocking, w.message])).toEqual([
        [
          'update-period-after-document',
          false,
          expect.stringMatching(/^an update on action 1\.1 is dated by the heading of its column, "Q3 2018\/19 RAG" \(2018-12\), after/),
        ],
        [
          'update-after-document',
          true,
          expect.stringMatching(/^an update on action 1\.1 is dated by the heading of its column, "RAG Dec 2018" \(2018-12\), after/),
        ],
      ]);
    },
  );

  it.each(['docx', 'xlsx'] as FixtureFormat[])(
    'takes the latest filled-in column (%s) when the headings give no year, and names each earlier rating it did not record',
    async (format) => {
      const store = stores.open({}, `undated-${format}.db`);
      const { summary, updates } = await importAndRead(store, format, planWith(['Q1 RAG', 'Q2 RAG', 'Q3 RAG'], ['Red', 'Amber', '']));
      expect(updates).toEqual([['Premises found.', '2018-11-30', 'Amber']]);
      const warned = summary.warnings.filter((w) => w.code === 'rag-columns-undated');
      expect(warned.map((w) => w.message)).toEqual([expect.stringMatching(/recorded "Amber" from "Q2 RAG".*not recorded: "Q1 RAG" Red/)]);
      expect(warned[0]).toMatchObject({ blocking: false });
    },
  );
});
