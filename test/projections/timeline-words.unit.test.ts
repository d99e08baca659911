import { describe, expect, it } from 'vitest';
import { summaryOf } from '../../projections/timeline/describe.ts';
import { ledgerFact } from './facts.ts';

const correctionOf = (correctedType: string, changes: Record<string, unknown>) =>
  summaryOf(ledgerFact('EntryCorrected', { correctedEventId: 'e1', correctedType, changes, reason: 'Typed wrong' }));

describe("a correction's summary", () => {
  it('without the entry it corrects, names the entry and the values it set, in words, as that kind of entry means them', () => {
    expect(correctionOf('DeadlineRevised', { to: { kind: 'date', date: '2018-06' }, agreedBy: 'Board' })).toBe(
      'Correction of an earlier deadline revision: new deadline set to June 2018; agreed by set to Board',
    );
    expect(correctionOf('PlanOwnerChanged', { to: 'NHS Dorset ICB' })).toBe(
      'Correction of an earlier change of owner: new owner set to NHS Dorset ICB',
    );
    expect(correctionOf('ActionLeadChanged', { to: ['Dorset Police', 'Dorset Council'] })).toBe(
      'Correction of an earlier change of lead: new leads set to Dorset Police, Dorset Council',
    );
    expect(correctionOf('ProgressUpdateRecorded', { narrative: 'Mapping begun' })).toBe(
      'Correction of an earlier progress update: update set to "Mapping begun"',
    );
  });

  it('given what it changed and what its entry is about, says each field from its value before to its value after', () => {
    const fact = ledgerFact('EntryCorrected', {
      correctedEventId: 'e1',
      correctedType: 'ProgressUpdateRecorded',
      changes: { narrative: 'AUG 2017 Pilot evaluated', reportedRag: { rating: 'Green' } },
      correctedEffectiveOn: '2017-07',
      reason: 'Typed wrong',
    });
    const changes = [
      { field: 'narrative', before: 'AUG 2017 Pilot begun', after: 'AUG 2017 Pilot evaluated' },
      { field: 'reportedRag', before: { rating: 'Amber' }, after: { rating: 'Green' } },
      { field: 'effectiveOn', before: '2017-08', after: '2017-07' },
    ];
    expect(summaryOf(fact, [{ type: 'ProgressUpdateRecorded', changes, about: { kind: 'action', ref: '1.3' } }])).toBe(
      'Correction of an earlier progress update (action 1.3): update from "AUG 2017 Pilot begun" to "AUG 2017 Pilot evaluated"; ' +
        'reported RAG from Amber to Green; date it happened from August 2017 to July 2017',
    );
  });

  it('cuts two long texts that differ only after their opening words from a little before where they differ, so the change shows', () => {
    const before = 'MAY 2017 Suicide prevention plan signed off by the Health and Wellbeing Board in April';
    const after = 'MAY 2017 Suicide prevention plan signed off by the Health and Wellbeing Board in March';
    const summary = summaryOf(
      ledgerFact('EntryCorrected', {
        correctedEventId: 'e1',
        correctedType: 'ProgressUpdateRecorded',
        changes: { narrative: after },
        reason: 'r',
      }),
      [{ type: 'ProgressUpdateRecorded', changes: [{ field: 'narrative', before, after }], about: { kind: 'action', ref: '2.2' } }],
    );
    expect(summary).toBe(
      'Correction of an earlier progress update (action 2.2): update from "…Wellbeing Board in April" to "…Wellbeing Board in March"',
    );
    // Texts short enough to show whole are shown whole, however late they differ.
    const short = (narrative: string, was: string) =>
      summaryOf(
        ledgerFact('EntryCorrected', {
          correctedEventId: 'e1',
          correctedType: 'ProgressUpdateRecorded',
          changes: { narrative },
          reason: 'r',
        }),
        [
          {
            type: 'ProgressUpdateRecorded',
            changes: [{ field: 'narrative', before: was, after: narrative }],
            about: { kind: 'action', ref: '2.2' },
          },
        ],
      );
    expect(
      short('Street triage pilot agreed with Dorset Police for March', 'Street triage pilot agreed with Dorset Police for April'),
    ).toBe(
      'Correction of an earlier progress update (action 2.2): update from "Street triage pilot agreed with Dorset Police for April" to "Street triage pilot agreed with Dorset Police for March"',
    );
    // No word near the difference: cut just before it all the same.
    const address = `Minutes at https://example.org/${'x'.repeat(80)}`;
    expect(short(`${address}B`, `${address}A`)).toMatch(/from "…x{20}A" to "…x{20}B"/);
    // Text added to the end reads as what was added.
    const longer = `${before}, and funded for three years from 2018 by the council`;
    expect(
      summaryOf(
        ledgerFact('EntryCorrected', {
          correctedEventId: 'e1',
          correctedType: 'ProgressUpdateRecorded',
          changes: { narrative: longer },
          reason: 'r',
        }),
        [
          {
            type: 'ProgressUpdateRecorded',
            changes: [{ field: 'narrative', before, after: longer }],
            about: { kind: 'action', ref: '2.2' },
          },
        ],
      ),
    ).toBe(
      'Correction of an earlier progress update (action 2.2): update from "…Wellbeing Board in April" to "…Wellbeing Board in April, and funded for three years from…"',
    );
  });

  it('cuts a long text short, says a deadline as its document words it, and a correction of a correction by what it changed of each entry that stands', () => {
    const long = 'The crisis care pathway has been mapped across all three localities and agreed by the board';
    expect(
      summaryOf(
        ledgerFact('EntryCorrected', { correctedEventId: 'e1', correctedType: 'ActionAgreed', changes: { text: long }, reason: 'r' }),
        [
          {
            type: 'ActionAgreed',
            changes: [{ field: 'text', before: 'Map the pathway', after: long }],
            about: { kind: 'action', ref: '2.1' },
          },
        ],
      ),
    ).toBe(
      'Correction of an earlier agreement of an action (action 2.1): text from "Map the pathway" to "The crisis care pathway has been mapped across all three…"',
    );
    const due = { kind: 'date', date: '2018-03', wording: 'Revised to March 2018' };
    expect(
      summaryOf(
        ledgerFact('EntryCorrected', {
          correctedEventId: 'c1',
          correctedType: 'EntryCorrected',
          changes: { changes: { to: due } },
          reason: 'r',
        }),
        [
          {
            type: 'DeadlineRevised',
            changes: [{ field: 'to', before: { kind: 'ongoing' }, after: due }],
            about: { kind: 'action', ref: '1.3' },
          },
          {
            type: 'DeadlineRevised',
            changes: [{ field: 'agreedBy', before: 'Board', after: 'Exec' }],
            about: { kind: 'action', ref: '2.1' },
          },
        ],
      ),
    ).toBe(
      'Correction of an earlier correction. Deadline revision (action 1.3): new deadline from Ongoing to March 2018 ("Revised to March 2018"). ' +
        'Deadline revision (action 2.1): agreed by from Board to Exec',
    );
  });
});

describe("a completion's summary", () => {
  it('says a day with "on" and a month with "in"', () => {
    expect(summaryOf(ledgerFact('ActionCompleted', { ref: '1.3', completedOn: '2017-08' }))).toBe('Action 1.3 completed in August 2017');
    expect(summaryOf(ledgerFact('ActionCompleted', { ref: '1.3', completedOn: '2017-08-15' }))).toBe(
      'Action 1.3 completed on 15 August 2017',
    );
  });
});
