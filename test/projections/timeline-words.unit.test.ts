import { describe, expect, it } from 'vitest';
import { summaryOf } from '../../projections/timeline/describe.ts';
import { ledgerFact } from './facts.ts';

const correctionOf = (correctedType: string, changes: Record<string, unknown>) =>
  summaryOf(ledgerFact('EntryCorrected', { correctedEventId: 'e1', correctedType, changes, reason: 'Typed wrong' }));

describe("a correction's summary", () => {
  it('names the entry and its fields in words, as that kind of entry means them', () => {
    expect(correctionOf('DeadlineRevised', { to: { kind: 'date', date: '2018-06' }, agreedBy: 'Board' })).toBe(
      'Correction of an earlier deadline revision (New deadline, Agreed by)',
    );
    expect(correctionOf('PlanOwnerChanged', { to: 'NHS Dorset ICB' })).toBe('Correction of an earlier change of owner (New owner)');
    expect(correctionOf('ActionLeadChanged', { to: ['Dorset Police'] })).toBe('Correction of an earlier change of lead (New leads)');
    expect(correctionOf('ProgressUpdateRecorded', { narrative: 'Mapping begun' })).toBe(
      'Correction of an earlier progress update (Update)',
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
