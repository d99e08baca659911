import { describe, expect, it } from 'vitest';
import { FORMATS, type FixtureBlock } from './fixtures/plan-fixtures.ts';
import { cellPlace, readFixture } from './layout-support.ts';

/**
 * Header vocabulary: columns are read by what their headers say, in any order, and a
 * header the importer does not know is reported with its text and cell, never shifting
 * another column. Start and finish columns give a due date with the start in its wording.
 */
const VOCABULARY: FixtureBlock[] = [
  { p: 'Northshire action plan – position as at 1 April 2017' },
  {
    table: [
      ['Reference number', 'Theme', 'Key actions', 'Responsible officer', 'Target date', 'Comments', 'Evidence'],
      ['2.1', 'Access', 'Open a crisis line', 'Northshire ICB', 'End July 2016', 'Line open since June.', 'Call data report'],
      ['2.2', 'Safety', 'Review places of safety', 'Northshire Police', 'Q4 2016/17', 'Review drafted.', ''],
    ],
  },
];

describe.each(FORMATS)('header vocabulary and unknown headers (%s)', (format) => {
  it('reads each column by its header and reports the unknown one with its text and cell, moving nothing', async () => {
    const { document, warnings } = await readFixture(format, VOCABULARY);
    expect(document.plan.date).toBe('2017-04-01');
    expect(document.actions.map((a) => [a.ref, a.text, a.leadOrganisations, a.due])).toEqual([
      ['2.1', 'Open a crisis line', ['Northshire ICB'], { kind: 'date', date: '2016-07', wording: 'End July 2016' }],
      ['2.2', 'Review places of safety', ['Northshire Police'], { kind: 'date', date: '2017-03', wording: 'Q4 2016/17' }],
    ]);
    expect(document.updates.map((u) => [u.target.ref, u.narrative, u.effectiveOn])).toEqual([
      ['2.1', 'Line open since June.', '2017-04-01'],
      ['2.1', 'Evidence: Call data report', '2017-04-01'],
      ['2.2', 'Review drafted.', '2017-04-01'],
    ]);
    const unknown = warnings.filter((w) => w.code === 'unknown-column');
    expect(unknown.map((w) => w.message)).toEqual([
      expect.stringContaining('"Theme"'),
      expect.stringContaining('"Access"'),
      expect.stringContaining('"Safety"'),
    ]);
    const rowsAbove = 1;
    expect(unknown.map((w) => w.location?.replace(/, paragraph \d+$/, ''))).toEqual(
      format === 'txt'
        ? ['line 4', 'line 12', 'line 20']
        : [cellPlace(format, 1, 1, 2, rowsAbove), cellPlace(format, 1, 2, 2, rowsAbove), cellPlace(format, 1, 3, 2, rowsAbove)],
    );
  });
});

/** A leading column no plan reader knows ("Theme"): only a file with real rows can keep it from moving the rest. */
describe.each(['docx', 'xlsx'] as const)('an unknown first column (%s)', (format) => {
  it('stays a column of its own', async () => {
    const { document, warnings } = await readFixture(format, [
      { p: 'Southshire plan, updated May 2018' },
      {
        table: [
          ['Theme', 'No.', 'Action', 'Lead', 'Deadline'],
          ['Access', '1.1', 'Open a crisis line', 'Southshire ICB', 'March 2018'],
        ],
      },
    ]);
    expect(document.actions.map((a) => [a.ref, a.text, a.leadOrganisations, a.due.kind])).toEqual([
      ['1.1', 'Open a crisis line', ['Southshire ICB'], 'date'],
    ]);
    expect(warnings.filter((w) => w.code === 'unknown-column')).toHaveLength(2);
  });
});

const START_FINISH: FixtureBlock[] = [
  { p: 'Westshire plan, updated 30/04/2017' },
  {
    table: [
      ['No.', 'Action', 'Lead', 'Start', 'Finish'],
      ['1.1', 'Extend the street triage pilot', 'Westshire Police', new Date(Date.UTC(2016, 3, 1)), new Date(Date.UTC(2017, 2, 31))],
      ['1.2', 'Agree the crisis pathway', 'Westshire ICB', 'April 2016', ''],
    ],
  },
];

describe.each(FORMATS)('start and finish columns (%s)', (format) => {
  it('is due at the finish, with the start kept in the wording; a start without a finish is undated and reported', async () => {
    const { document, warnings } = await readFixture(format, START_FINISH);
    expect(document.actions.map((a) => a.due)).toEqual([
      { kind: 'date', date: '2017-03', wording: 'April 2016 – March 2017' },
      { kind: 'undated', wording: 'Start April 2016' },
    ]);
    expect(warnings).toContainEqual(expect.objectContaining({ code: 'start-without-finish', message: expect.stringContaining('1.2') }));
  });
});

const IMPOSSIBLE: FixtureBlock[] = [
  { p: 'Eastshire plan, updated June 2019' },
  {
    table: [
      ['No.', 'Action', 'Lead', 'Timescale', 'Progress'],
      ['1.1', 'Audit crisis plans', 'Eastshire Trust', '30 February 2019', '31/04/2019 Audit done.'],
    ],
  },
];

describe.each(FORMATS)('impossible dates (%s)', (format) => {
  it('flags each with its cell and guesses no date', async () => {
    const { document, warnings } = await readFixture(format, IMPOSSIBLE);
    expect(document.actions[0]!.due).toEqual({ kind: 'undated', wording: '30 February 2019' });
    expect(document.updates[0]).toMatchObject({ narrative: '31/04/2019 Audit done.', effectiveOn: '2019-06' });
    const flagged = warnings.filter((w) => w.code === 'impossible-date');
    expect(flagged).toHaveLength(2);
    if (format !== 'txt')
      expect(flagged.map((w) => w.location?.replace(/, paragraph \d+$/, ''))).toEqual([
        cellPlace(format, 1, 2, 5, 1),
        cellPlace(format, 1, 2, 4, 1),
      ]);
  });
});
