import { describe, expect, it } from 'vitest';
import { BusinessDate, Due, lastDayOf } from '../../events/business-date.ts';
import { currentVersion, readEventData, UnknownEventType } from '../../events/catalogue.ts';
import { upcastActionAgreedV1 } from '../../events/plan/action-agreed.v2.ts';
import { EntryCorrectedV2, upcastEntryCorrectedV1 } from '../../events/plan/entry-corrected.v2.ts';

describe('event catalogue', () => {
  it('upcasts ActionAgreed v1 (one lead) to the current version, purely', () => {
    const v1 = {
      ref: '2.1',
      text: 'Evaluate the Street Triage Service',
      leadOrganisation: 'Dorset CCG',
      due: { kind: 'date' as const, date: '2015-06' },
    };
    const frozen = Object.freeze({ ...v1 });
    expect(upcastActionAgreedV1(frozen)).toEqual({
      ref: '2.1',
      text: 'Evaluate the Street Triage Service',
      recommendationRefs: [],
      leadOrganisations: ['Dorset CCG'],
      partnerOrganisations: [],
      intendedOutcomes: [],
      due: { kind: 'date', date: '2015-06' },
      relatedActionRefs: [],
    });
    expect(currentVersion('ActionAgreed')).toBe(2);
    const read = readEventData('ActionAgreed', 1, v1);
    expect(read.type).toBe('ActionAgreed');
    expect(read.data).toMatchObject({ leadOrganisations: ['Dorset CCG'] });
  });

  it('upcasts EntryCorrected v1 (data fields only) to v2 without a corrected date, purely', () => {
    const v1 = {
      correctedEventId: '0190a8a0-0000-7000-8000-000000000001',
      correctedType: 'ActionCompleted',
      changes: { completedOn: '2016-03' },
      reason: 'Typed from the wrong column',
    };
    const frozen = Object.freeze({ ...v1, changes: Object.freeze({ ...v1.changes }) });
    expect(upcastEntryCorrectedV1(frozen)).toEqual(v1);
    expect(currentVersion('EntryCorrected')).toBe(2);
    const read = readEventData('EntryCorrected', 1, v1);
    expect(read.data).toEqual(v1);
    expect(read.data).not.toHaveProperty('correctedEffectiveOn');
    // v1 needed a change; v2 may carry only a corrected date, but must carry one or the other.
    expect(readEventData('EntryCorrected', 2, { ...v1, changes: {}, correctedEffectiveOn: '2016-03-14' }).data).toMatchObject({
      correctedEffectiveOn: '2016-03-14',
    });
    expect(() => readEventData('EntryCorrected', 1, { ...v1, changes: {}, correctedEffectiveOn: '2016-03-14' })).toThrow();
    expect(EntryCorrectedV2.safeParse({ ...v1, changes: {} }).success).toBe(false);
    expect(EntryCorrectedV2.safeParse({ ...v1, correctedEffectiveOn: '2016-02-30' }).success).toBe(false);
  });

  it('reads the current version unchanged, with defaults filled', () => {
    const read = readEventData('SectionAdded', 1, { sectionRef: '1', title: 'Access to Support Before Crisis' });
    expect(read.data).toEqual({ sectionRef: '1', title: 'Access to Support Before Crisis' });
  });

  it('refuses unknown types and versions, and data that does not fit the version', () => {
    expect(() => readEventData('ActionDeleted', 1, {})).toThrow(UnknownEventType);
    expect(() => readEventData('SectionAdded', 7, {})).toThrow(/schema version 7/);
    expect(() => readEventData('SectionAdded', 1, { sectionRef: '1' })).toThrow();
  });
});

describe('business dates', () => {
  it('accepts days and months, refuses impossible dates', () => {
    expect(BusinessDate.safeParse('2017-08').success).toBe(true);
    expect(BusinessDate.safeParse('2024-02-29').success).toBe(true);
    expect(BusinessDate.safeParse('2023-02-29').success).toBe(false);
    expect(BusinessDate.safeParse('2020-09-31').success).toBe(false);
    expect(BusinessDate.safeParse('2020-13').success).toBe(false);
    expect(BusinessDate.safeParse('Oct 2015').success).toBe(false);
  });
  it('a month-precision deadline runs to the end of its month', () => {
    expect(lastDayOf('2015-10')).toBe('2015-10-31');
    expect(lastDayOf('2016-02')).toBe('2016-02-29');
    expect(lastDayOf('2015-07-31')).toBe('2015-07-31');
  });
  it('an undated timescale keeps its wording', () => {
    expect(Due.parse({ kind: 'undated', wording: 'As per Suicide Prevention Action Plan' })).toEqual({
      kind: 'undated',
      wording: 'As per Suicide Prevention Action Plan',
    });
    expect(Due.safeParse({ kind: 'undated' }).success).toBe(false);
  });
});
