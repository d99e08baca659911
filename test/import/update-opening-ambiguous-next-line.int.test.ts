import { describe, expect, it } from 'vitest';
import { useSqliteStores } from '../support/sqlite-stores.ts';
import { FORMATS, render, type FixtureBlock } from './fixtures/plan-fixtures.ts';
import { importer } from './import-support.ts';

/**
 * A paragraph opening with a date that reads two ways ("June 30 2018 – …") straight after a dated update's, with no
 * blank line between (as Word's text export writes a cell's paragraphs, and as a workbook cell holds its lines), stops
 * the import at the gate as it does after a blank line: it was taken as more of the update before it and recorded
 * under that update's date, with no warning.
 */
const PLAN: FixtureBlock[] = [
  { p: 'Northshire crisis care action plan, position as at 30 November 2018' },
  {
    table: [
      ['No.', 'Action', 'Lead', 'Timescale', 'Progress update'],
      [
        '1.1',
        'Agree a section 136 protocol',
        'Northshire ICB',
        'December 2018',
        'AUG 2017 Protocol drafted\nJune 30 2018 – met with police',
      ],
    ],
  },
];

describe('an update opening with a date that reads two ways, on the line after another update', () => {
  const stores = useSqliteStores();

  it.each(FORMATS)('stops at the gate, not read into the update before it (%s)', async (format) => {
    const store = stores.open({}, `next-line-${format}.db`);
    const preview = await importer(store)({
      fileName: `northshire.${format}`,
      content: await render(format, PLAN),
      planId: 'northshire',
      dryRun: true,
    });
    expect(preview.warnings.filter((w) => w.code === 'update-date-ambiguous').map((w) => w.message)).toEqual([
      expect.stringMatching(/^update opening "June 30 2018" may be/),
    ]);
    expect(preview.gate).toMatchObject({ passes: false });
  });
});
