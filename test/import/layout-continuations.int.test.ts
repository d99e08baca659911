import { describe, expect, it } from 'vitest';
import { FORMATS, type FixtureBlock } from './fixtures/plan-fixtures.ts';
import { cellPlace, factsOf, readFixture } from './layout-support.ts';

/**
 * Continuation rows and the document date: a row spanning the table after an action
 * ("Update February 2016: …", "This action has been merged into action 1.1.") belongs to
 * that action, and the date in the preamble dates whatever the document leaves undated.
 */
const PLAN: FixtureBlock[] = [
  { p: 'Anyshire crisis care action plan' },
  { p: 'Updated March 2016' },
  {
    table: [
      ['No.', 'Action', 'Led by', 'Timescale'],
      ['1.1', 'Open a crisis café', 'Anyshire County Council', 'December 2015'],
      { span: 'Update February 2016: The café opened in January.' },
      ['1.2', 'Train staff in de-escalation', 'Dorset Police', 'March 2016'],
      { span: 'This action has been merged into action 1.1.' },
    ],
  },
];

describe.each(FORMATS)('continuation rows and the document date (%s)', (format) => {
  it('reads a spanning update as a dated update of the action above, and a merge note as a subsumption', async () => {
    const { document, warnings } = await readFixture(format, PLAN);
    expect(document.plan).toMatchObject({ title: 'Anyshire crisis care action plan', date: '2016-03' });
    expect(document.actions.map((a) => [a.ref, a.text, a.leadOrganisations, a.due])).toEqual([
      ['1.1', 'Open a crisis café', ['Anyshire County Council'], { kind: 'date', date: '2015-12', wording: 'December 2015' }],
      ['1.2', 'Train staff in de-escalation', ['Dorset Police'], { kind: 'date', date: '2016-03', wording: 'March 2016' }],
    ]);
    expect(document.updates.map((u) => [u.target.ref, u.effectiveOn, u.narrative])).toEqual([
      ['1.1', '2016-02', 'The café opened in January.'],
      ['1.2', '2016-03', 'This action has been merged into action 1.1.'],
    ]);
    expect(document.actions[1]!.closure).toMatchObject({
      kind: 'subsumed',
      into: { kind: 'action', ref: '1.1' },
      reason: 'This action has been merged into action 1.1.',
      effectiveOn: '2016-03',
    });
    // The note has no date of its own: it takes the document's, and says so; nothing else is reported.
    expect(warnings.map((w) => w.code).sort()).toEqual(['owner-not-stated', 'undated-update']);
  });

  it('names where each fact came from', async () => {
    const { document } = await readFixture(format, PLAN);
    const places = [document.actions[0]!.location, document.updates[0]!.location];
    if (format === 'txt') expect(places).toEqual(['line 10', 'line 15']);
    else if (format === 'docx') expect(places).toEqual([cellPlace(format, 1, 2, 1), cellPlace(format, 1, 3, 1)]);
    else expect(places).toEqual([cellPlace(format, 1, 2, 1, 2), cellPlace(format, 1, 3, 1, 2)]);
  });

  it('dates facts by the latest dated update when the document states no date, and never by today', async () => {
    const { document } = await readFixture(format, PLAN.slice(0, 1).concat(PLAN.slice(2)));
    expect(document.plan.date).toBe('2016-02');
    expect(document.actions[1]!.closure).toMatchObject({ kind: 'subsumed', effectiveOn: '2016-02' });
  });

  it('refuses a document with no date at all unless --effective-on gives one', async () => {
    const undated: FixtureBlock[] = [
      { p: 'Anyshire crisis care action plan' },
      {
        table: [
          ['No.', 'Action', 'Led by', 'Timescale'],
          ['1.1', 'Open a crisis café', 'Anyshire County Council', 'December 2015'],
        ],
      },
    ];
    await expect(readFixture(format, undated)).rejects.toMatchObject({
      code: 'document-undated',
      message: expect.stringContaining('--effective-on'),
    });
    const { document } = await readFixture(format, undated, { effectiveOn: '2015-06' });
    expect(document.plan).toMatchObject({ date: '2015-06', effectiveOn: '2015-06' });
    expect(document.actions[0]!.effectiveOn).toBe('2015-06');
  });

  it('reads the same facts in every format', async () => {
    const [docx, xlsx, txt] = await Promise.all(FORMATS.map(async (f) => factsOf((await readFixture(f, PLAN)).document)));
    expect(xlsx).toEqual(docx);
    expect(txt).toEqual(docx);
  });
});
