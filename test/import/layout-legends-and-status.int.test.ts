import { describe, expect, it } from 'vitest';
import { FORMATS, type FixtureBlock } from './fixtures/plan-fixtures.ts';
import { readFixture } from './layout-support.ts';

/**
 * A RAG legend in the preamble gives each rating its meaning, and a meaning can close an
 * action; status words in a Status column, in any case and spacing, say the same in words.
 */
const LEGEND_PLAN: FixtureBlock[] = [
  { p: 'Westshire Crisis Care Concordat action plan' },
  { p: 'Progress update 15/08/22' },
  { p: 'Red – not started, Amber – in progress, Green – completed, Blue – closed or merged into another action' },
  {
    table: [
      ['Ref', 'Action', 'Lead', 'Deadline', 'RAG', 'Progress'],
      ['1.1', 'Publish a crisis line', 'Westshire ICB', 'March 2021', 'Green', 'The line opened in 2021.'],
      ['1.2', 'Map crisis services', 'Westshire ICB', 'June 2021', 'Blue', 'Now part of action 1.1.'],
      ['1.3', 'Review places of safety', 'Westshire Police', 'December 2022', 'Amber', 'Review under way.'],
      ['1.4', 'Set up a task group', 'Westshire Police', 'March 2021', 'Blue', 'The group has stood down.'],
    ],
  },
];

describe.each(FORMATS)('a RAG legend in the preamble (%s)', (format) => {
  it('reads every rating of a one-line legend, and gives each reported rating its meaning', async () => {
    const { document } = await readFixture(format, LEGEND_PLAN);
    expect(document.plan.date).toBe('2022-08-15');
    expect(document.plan.ragLegend).toEqual([
      { rating: 'Red', meaning: 'not started' },
      { rating: 'Amber', meaning: 'in progress' },
      { rating: 'Green', meaning: 'completed' },
      { rating: 'Blue', meaning: 'closed or merged into another action' },
    ]);
    expect(document.updates.map((u) => [u.target.ref, u.reportedRag])).toEqual([
      ['1.1', { rating: 'Green', meaning: 'completed' }],
      ['1.2', { rating: 'Blue', meaning: 'closed or merged into another action' }],
      ['1.3', { rating: 'Amber', meaning: 'in progress' }],
      ['1.4', { rating: 'Blue', meaning: 'closed or merged into another action' }],
    ]);
  });

  it('closes a Green = completed action as of the document date, and a Blue one as merged into the action it names', async () => {
    const { document, warnings } = await readFixture(format, LEGEND_PLAN);
    const closures = Object.fromEntries(document.actions.map((a) => [a.ref, a.closure && { ...a.closure, location: undefined }]));
    expect(closures['1.1']).toEqual({
      kind: 'completed',
      completedOn: '2022-08-15',
      summary: 'Rated Green in the plan (Green: completed)',
      location: undefined,
    });
    expect(closures['1.2']).toMatchObject({ kind: 'subsumed', into: { kind: 'action', ref: '1.1' }, effectiveOn: '2022-08-15' });
    expect(closures['1.3']).toBeUndefined();
    // Blue without a named target: the legend also says "closed", so it is a completion, and the warning says why.
    expect(closures['1.4']).toMatchObject({ kind: 'completed', completedOn: '2022-08-15' });
    expect(warnings).toContainEqual(expect.objectContaining({ code: 'merged-or-closed', message: expect.stringContaining('action 1.4') }));
  });
});

const STATUS_PLAN: FixtureBlock[] = [
  { p: 'Eastshire mental health action plan, updated March 2020' },
  {
    table: [
      ['No', 'Action', 'Owner', 'Target date', 'Status'],
      ['1', 'Ratify the crisis policy', 'Eastshire Trust', 'March 2019', 'COMPLETE – policy ratified 12/03/2019'],
      ['2', 'Recruit peer workers', 'Eastshire Trust', 'June 2020', 'in  progress'],
      ['3', 'Run the listening events', 'Eastshire Trust', 'Ongoing', 'Ongoing'],
      ['4', 'Open a second café', 'Eastshire Council', 'December 2020', 'NOT STARTED'],
      ['5', 'Pilot night transport', 'Eastshire Council', 'June 2019', 'Withdrawn – replaced by the new pathway'],
      ['6', 'Publish the directory', 'Eastshire Council', 'May 2019', 'complete'],
    ],
  },
];

describe.each(FORMATS)('status words in any case and spacing (%s)', (format) => {
  it('reads complete (with its detail and date), in progress, ongoing, not started and withdrawn', async () => {
    const { document, warnings } = await readFixture(format, STATUS_PLAN);
    expect(document.plan.date).toBe('2020-03');
    const byRef = Object.fromEntries(document.actions.map((a) => [a.ref, a]));
    expect(byRef['1']!.closure).toMatchObject({
      kind: 'completed',
      completedOn: '2019-03-12',
      summary: 'Marked complete in the plan: policy ratified 12/03/2019',
    });
    expect(byRef['6']!.closure).toMatchObject({ kind: 'completed', completedOn: '2020-03' });
    expect(byRef['5']!.closure).toMatchObject({
      kind: 'withdrawn',
      reason: 'Withdrawn: replaced by the new pathway',
      effectiveOn: '2020-03',
    });
    for (const ref of ['2', '3', '4']) expect(byRef[ref]!.closure).toBeUndefined();
    expect(document.updates.map((u) => [u.target.ref, u.reportedRag?.rating, u.effectiveOn])).toEqual([
      ['2', 'In progress', '2020-03'],
      ['3', 'Ongoing', '2020-03'],
      ['4', 'Not started', '2020-03'],
    ]);
    expect(warnings.filter((w) => w.code !== 'owner-not-stated')).toEqual([]);
  });
});
