import { describe, expect, it } from 'vitest';
import { FORMATS, type FixtureBlock } from './fixtures/plan-fixtures.ts';
import { factsOf, readFixture } from './layout-support.ts';

/**
 * One table per recommendation, under a heading ("Recommendation 1") with the
 * recommendation's text as a paragraph; numbered items in one cell are separate actions,
 * matched with the numbered dates and progress entries beside them.
 */
const PER_RECOMMENDATION: FixtureBlock[] = [
  { p: 'Action plan following the independent investigation into the care of Mr Y' },
  { p: 'Progress update 01/03/2023' },
  { p: 'Recommendation 1', heading: true },
  { p: 'The Trust should audit crisis plans.' },
  {
    table: [
      ['Action', 'Lead', 'Target date', 'Progress'],
      [
        { list: ['Audit 50 crisis plans', 'Share the audit with the Board'] },
        'Dorset HealthCare',
        { list: ['December 2022', 'April 2023'] },
        { list: ['Complete', 'Board paper drafted.'] },
      ],
    ],
  },
  { p: 'Recommendation 2', heading: true },
  { p: 'Train staff in safety planning.' },
  {
    table: [
      ['Action', 'Lead', 'Target date', 'Progress'],
      ['Run training', 'Dorset Police', 'Q4 2022/23', 'Training booked.'],
    ],
  },
];

describe.each(FORMATS)('one table per recommendation, numbered items in one cell (%s)', (format) => {
  it('records each recommendation with its text, and each numbered item as an action answering it', async () => {
    const { document, warnings } = await readFixture(format, PER_RECOMMENDATION);
    expect(document.plan).toMatchObject({ kind: 'investigation-action-plan', date: '2023-03-01' });
    expect(document.recommendations.map((r) => [r.ref, r.text])).toEqual([
      ['1', 'The Trust should audit crisis plans.'],
      ['2', 'Train staff in safety planning.'],
    ]);
    expect(document.actions.map((a) => [a.ref, a.text, a.recommendationRefs, a.leadOrganisations, a.due])).toEqual([
      [
        '1.1',
        'Audit 50 crisis plans',
        ['1'],
        ['Dorset HealthCare University NHS Foundation Trust'],
        { kind: 'date', date: '2022-12', wording: 'December 2022' },
      ],
      [
        '1.2',
        'Share the audit with the Board',
        ['1'],
        ['Dorset HealthCare University NHS Foundation Trust'],
        { kind: 'date', date: '2023-04', wording: 'April 2023' },
      ],
      ['2.1', 'Run training', ['2'], ['Dorset Police'], { kind: 'date', date: '2023-03', wording: 'Q4 2022/23' }],
    ]);
    expect(document.actions[0]!.closure).toMatchObject({ kind: 'completed', completedOn: '2023-03-01' });
    expect(document.updates.map((u) => [u.target.ref, u.narrative, u.effectiveOn])).toEqual([
      ['1.2', 'Board paper drafted.', '2023-03-01'],
      ['2.1', 'Training booked.', '2023-03-01'],
    ]);
    // The progress cells carry no date of their own: they take the document's, and say so.
    expect(warnings.map((w) => w.code)).toEqual(['undated-update', 'undated-update', 'owner-not-stated']);
  });

  it('reads the same facts in every format', async () => {
    const [docx, xlsx, txt] = await Promise.all(FORMATS.map(async (f) => factsOf((await readFixture(f, PER_RECOMMENDATION)).document)));
    expect(xlsx).toEqual(docx);
    expect(txt).toEqual(docx);
  });
});
