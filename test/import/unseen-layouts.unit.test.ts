import { describe, expect, it } from 'vitest';
import { parseTextPlan } from '../../src/import/text-plan.ts';
import { loadOrganisationDirectory } from '../../src/organisations/organisation-directory.ts';
import { shippedAliasFile } from '../../src/organisations/organisation-aliases.ts';

const directory = loadOrganisationDirectory([shippedAliasFile]);
const parse = (text: string, effectiveOn?: string) => parseTextPlan(text, { fileName: 'anyshire-plan.txt', directory, effectiveOn });

/** A plan laid out unlike either seed: columns in another order, a RAG column with a legend, a quarter, an impossible date. */
const ANYSHIRE = [
  'Anyshire Crisis Care Concordat action plan',
  'Red = not started',
  'Amber = in progress',
  'Green = complete',
  '',
  '\t1. Access to support',
  '\tAction',
  '\tRef',
  '\tLead',
  '\tDeadline',
  '\tRAG',
  '\tProgress update',
  '\tOutcome',
  '\tOpen a crisis café',
  '\t1.1',
  '\tAnyshire CCG with Anyshire County Council and Dorset Police',
  '\tQ1 2016',
  '\tAmber',
  '\tMAR 2016 Premises found. See 1.2',
  '\tPeople in crisis have somewhere to go.',
  '\tTrain staff [bookmark: _Toc42]in de-escalation',
  '\t1.2',
  '\tAnyshire County Council',
  '\t31 September 2020',
  '\tGreen',
  '\t15/08/2016 - Training finished.',
  'COMPLETE',
  '\tFewer restraints.',
  '',
].join('\n');

describe('plans laid out unlike the seeds', () => {
  it('reads columns in the order the header gives, with a RAG column and its legend', () => {
    const { document, warnings } = parse(ANYSHIRE);
    expect(document.plan).toMatchObject({
      title: 'Anyshire Crisis Care Concordat action plan',
      kind: 'crisis-care-concordat',
      date: '2016-08-15',
    });
    expect(document.plan.ragLegend).toEqual([
      { rating: 'Red', meaning: 'not started' },
      { rating: 'Amber', meaning: 'in progress' },
      { rating: 'Green', meaning: 'complete' },
    ]);
    expect(document.sections).toEqual([expect.objectContaining({ ref: '1', title: 'Access to support' })]);
    const [first, second] = document.actions;
    expect(first).toMatchObject({
      ref: '1.1',
      text: 'Open a crisis café',
      leadOrganisations: ['Anyshire CCG'],
      partnerOrganisations: ['Anyshire County Council', 'Dorset Police'],
      intendedOutcomes: ['People in crisis have somewhere to go.'],
      relatedActionRefs: ['1.2'],
    });
    expect(second).toMatchObject({
      ref: '1.2',
      text: 'Train staff in de-escalation',
      closure: { kind: 'completed', completedOn: '2016-08-15' },
    });
    expect(document.updates).toEqual([
      expect.objectContaining({
        target: { kind: 'action', ref: '1.1' },
        narrative: 'Premises found. See 1.2',
        effectiveOn: '2016-03',
        reportedRag: { rating: 'Amber', meaning: 'in progress' },
      }),
      expect.objectContaining({
        target: { kind: 'action', ref: '1.2' },
        narrative: 'Training finished.',
        effectiveOn: '2016-08-15',
        reportedRag: { rating: 'Green', meaning: 'complete' },
      }),
    ]);
    expect(warnings).toContainEqual(expect.objectContaining({ code: 'word-artefact', line: 21 }));
  });

  it('reads "Q1 2016" as the calendar quarter and says so; refuses to date "31 September 2020"', () => {
    const { document, warnings } = parse(ANYSHIRE);
    expect(document.actions[0]!.due).toEqual({ kind: 'date', date: '2016-03', wording: 'Q1 2016' });
    expect(document.actions[1]!.due).toEqual({ kind: 'undated', wording: '31 September 2020' });
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'ambiguous-quarter', line: 17, message: expect.stringContaining('2016-06') }),
        expect.objectContaining({ code: 'impossible-date', line: 24 }),
      ]),
    );
  });

  it('reads the same plan the same way with Windows line endings and non-breaking spaces', () => {
    const windows = ANYSHIRE.replace(/\n/g, '\r\n').replace('Open a crisis café', 'Open\u00a0a crisis café');
    expect(parse(windows).document).toEqual(parse(ANYSHIRE).document);
  });

  it('reports a column it does not know, cell by cell, instead of dropping it', () => {
    const text = [
      '\tNo.',
      '\tAction',
      '\tTimescale',
      '\tBudget',
      '\tLed by',
      '\t1.1',
      '\tDo it',
      '\tMarch 2017',
      '\t£20,000',
      '\tDorset Police',
      '',
    ].join('\n');
    const { document, warnings } = parse(text, '2017-03');
    expect(document.actions[0]).toMatchObject({ ref: '1.1', due: { date: '2017-03' }, leadOrganisations: ['Dorset Police'] });
    expect(warnings).toContainEqual(
      expect.objectContaining({ code: 'unknown-column', line: 9, message: expect.stringContaining('£20,000') }),
    );
  });

  it('numbers the actions of a table without a number column in order within their section, and says so', () => {
    const text = [
      '\t2. Urgent care',
      '\tKey actions',
      '\tLead officer',
      '\tTimescale',
      '\tImprove 111',
      '\tSWAST',
      '\tApril 2016 – March 2017',
      '\tOpen a place of safety',
      '\tDorset Police',
      '\tOngoing',
      '',
    ].join('\n');
    const { document, warnings } = parse(text, '2017-03');
    expect(document.actions.map((a) => [a.ref, a.sectionRef, a.leadOrganisations[0], a.due.kind])).toEqual([
      ['2.1', '2', 'South Western Ambulance Service NHS Foundation Trust', 'date'],
      ['2.2', '2', 'Dorset Police', 'ongoing'],
    ]);
    expect(warnings).toContainEqual(expect.objectContaining({ code: 'table-unnumbered', line: 5 }));
  });

  it('refuses a document with no table it recognises, saying what it looked for', () => {
    expect(() => parse('Minutes of the meeting held on 3 May 2017\nNothing to report.\n')).toThrow(
      expect.objectContaining({ code: 'no-plan-table', message: expect.stringContaining('No. / Action / Timescale') }),
    );
  });
});

describe('investigation action plans', () => {
  /** Recommendation / Action / Action owner / Target date / Progress update / RAG, the recommendation cell merged over its two actions. */
  const INVESTIGATION = [
    'Action plan following the independent investigation into the care of Mr Y',
    '\tRecommendation',
    '\tAction',
    '\tAction owner',
    '\tTarget date',
    '\tProgress update (as at 01/03/2023)',
    '\tRAG',
    '\t1. The Trust should audit crisis plans.',
    '\tAudit 50 crisis plans',
    '\tDorset HealthCare',
    '\tMarch 2023 (revised from December 2022)',
    '\tAudit under way.',
    '\tAmber',
    '\t',
    '\tShare the audit with the Board',
    '\tDorset HealthCare',
    '\tApril 2023',
    '\tShared.',
    'COMPLETED – February 2023',
    '\tGreen',
    '\t2. Train staff in safety planning.',
    '\tRun training\tDorset Police\tQ4 2022/23\tAll staff trained.\tGreen',
    '',
  ].join('\n');

  it('numbers actions under the recommendation they answer and links them to it', () => {
    const { document } = parse(INVESTIGATION);
    expect(document.plan).toMatchObject({ kind: 'investigation-action-plan', date: '2023-03-01' });
    expect(document.recommendations.map((r) => [r.ref, r.text])).toEqual([
      ['1', 'The Trust should audit crisis plans.'],
      ['2', 'Train staff in safety planning.'],
    ]);
    expect(document.actions.map((a) => [a.ref, a.recommendationRefs, a.leadOrganisations])).toEqual([
      ['1.1', ['1'], ['Dorset HealthCare University NHS Foundation Trust']],
      ['1.2', ['1'], ['Dorset HealthCare University NHS Foundation Trust']],
      ['2.1', ['2'], ['Dorset Police']],
    ]);
  });

  it('reads "(revised from …)", a dated COMPLETED marker, financial quarters and updates dated by their column', () => {
    const { document } = parse(INVESTIGATION);
    const [audit, share, training] = document.actions;
    expect(audit!.due).toEqual({ kind: 'date', date: '2022-12', wording: 'December 2022' });
    expect(audit!.revisions).toEqual([expect.objectContaining({ to: { kind: 'date', date: '2023-03', wording: 'March 2023' } })]);
    expect(share!.closure).toMatchObject({ kind: 'completed', completedOn: '2023-02' });
    expect(training!.due).toEqual({ kind: 'date', date: '2023-03', wording: 'Q4 2022/23' });
    expect(document.updates.map((u) => [u.target.ref, u.effectiveOn, u.reportedRag?.rating])).toEqual([
      ['1.1', '2023-03-01', 'Amber'],
      ['1.2', '2023-03-01', 'Green'],
      ['2.1', '2023-03-01', 'Green'],
    ]);
  });
});

describe('lines that look like structure but are text', () => {
  it('keeps a file name in an update as text when the plan goes on after it', () => {
    const text = [
      '\tNo',
      '\tAction',
      '\tTimescale',
      '\tLed by',
      '\t1.1',
      '\tAudit crisis plans',
      'UPDATE',
      'AUG 2017 Audit done, see',
      'Crisis plan audit 2017.pdf',
      '\tMarch 2018',
      '\tDorset Police',
      '\t1.2',
      '\tTrain staff',
      '\tOngoing',
      '\tDorset Police',
      '',
    ].join('\n');
    const { document, warnings } = parse(text);
    expect(document.actions.map((a) => a.ref)).toEqual(['1.1', '1.2']);
    expect(document.updates[0]!.narrative).toBe('Audit done, see\nCrisis plan audit 2017.pdf');
    expect(warnings.filter((w) => w.code === 'trailing-document')).toEqual([]);
  });
});
