import { describe, expect, it } from 'vitest';
import { FORMATS, type FixtureBlock } from './fixtures/plan-fixtures.ts';
import { readFixture } from './layout-support.ts';

/**
 * Action numbers as trusts write them beyond "1.1": a lettered sub-action ("1.a", "2.1.b", "4.1 a)", "4.1(b)") or a
 * roman one ("4(i)"). In a Word text export rows are found by their number cell, so a number not read as one would
 * leave the row's cells outside any row.
 */
const NUMBERED: FixtureBlock[] = [
  { p: 'Westshire action plan, position as at 31 May 2018' },
  {
    table: [
      ['Ref', 'Action', 'Lead', 'Timescale'],
      ['1.a', 'Open a crisis café', 'Westshire ICB', 'March 2018'],
      ['1.b', 'Train staff', 'Westshire ICB', 'April 2018'],
      ['2.1.b', 'Audit crisis plans', 'Westshire Trust', 'May 2018'],
      ['4.1 a)', 'Translate leaflets', 'Westshire Trust', 'June 2018'],
      ['4.1(b)', 'Print leaflets', 'Westshire Trust', 'June 2018'],
      ['4(i)', 'Post leaflets', 'Westshire Trust', 'July 2018'],
    ],
  },
];

describe.each(FORMATS)('lettered and roman action numbers (%s)', (format) => {
  it('reads each row as an action with its number as written, nothing left outside a row', async () => {
    const { document, warnings } = await readFixture(format, NUMBERED);
    expect(document.actions.map((a) => [a.ref, a.text])).toEqual([
      ['1.a', 'Open a crisis café'],
      ['1.b', 'Train staff'],
      ['2.1.b', 'Audit crisis plans'],
      ['4.1a)', 'Translate leaflets'],
      ['4.1(b)', 'Print leaflets'],
      ['4(i)', 'Post leaflets'],
    ]);
    expect(warnings.filter((w) => w.code === 'cell-outside-row' || w.code === 'row-short')).toEqual([]);
  });
});
