import { describe, expect, it } from 'vitest';
import { actionView } from '../../projections/plan-status/action-view.ts';
import { foldPlanStatus } from '../../projections/plan-status/projection.ts';
import { evolveTimeline, initialTimeline } from '../../projections/timeline/timeline.ts';
import { agreed, ledgerFact, registered } from './facts.ts';

const date = (d: string) => ({ kind: 'date' as const, date: d });
const corrected = (correctedEventId: string, correctedType: string, changes: object, eventId?: string) =>
  ledgerFact(
    'EntryCorrected',
    { correctedEventId, correctedType, changes, reason: 'Typed from the wrong row' },
    eventId ? { eventId } : {},
  );

/** Given facts made in order (thunks, so positions follow), the plan-status view of action 1.1 and the timeline. */
const given = (...make: (() => ReturnType<typeof ledgerFact>)[]) => {
  const facts = make.map((f) => f());
  const doc = foldPlanStatus(facts)!;
  const timeline = initialTimeline();
  for (const fact of facts) evolveTimeline(timeline, fact, (n) => n);
  return { view: actionView(doc, doc.actions[0]!, '2026-11-23'), doc, entries: timeline.entries };
};

describe('corrections in the views', () => {
  it('show the corrected original deadline, which is also current while it has not been revised', () => {
    const { view, entries } = given(
      () => registered(),
      () => agreed('1.1', date('2015-10'), { eventId: 'e-agreed' }),
      () => corrected('e-agreed', 'ActionAgreed', { due: date('2016-10') }),
    );
    expect(view).toMatchObject({ originalDue: date('2016-10'), currentDue: date('2016-10'), slippageDays: 0 });
    expect(entries.at(-1)).toMatchObject({
      about: { kind: 'action', ref: '1.1' },
      changes: [{ field: 'due', before: date('2015-10'), after: date('2016-10') }],
    });
  });

  it('correct a revision in place: the current deadline is the corrected one', () => {
    const { view } = given(
      () => registered(),
      () => agreed('1.1', date('2015-10')),
      () =>
        ledgerFact('DeadlineRevised', { ref: '1.1', from: date('2015-10'), to: date('2018-03'), reason: 'Delayed' }, { eventId: 'e-rev' }),
      () => corrected('e-rev', 'DeadlineRevised', { to: date('2017-03'), agreedBy: 'Board' }),
    );
    expect(view).toMatchObject({ currentDue: date('2017-03'), revisions: 1 });
  });

  it('take back a correction that is itself corrected, and lay the amended one', () => {
    const { view, doc, entries } = given(
      () => registered(),
      () => agreed('1.1', date('2015-10'), { eventId: 'e-agreed' }),
      () => corrected('e-agreed', 'ActionAgreed', { text: 'Wrong fix', ledByWording: 'Dorset CCG with partners' }, 'e-c1'),
      () => corrected('e-c1', 'EntryCorrected', { changes: { text: 'Right fix' } }),
    );
    expect(view.text).toBe('Right fix');
    // The first correction's other field is no longer part of it, so the original (none) is back.
    expect(view.ledByWording).toBeNull();
    expect(doc.corrections).toHaveLength(2);
    expect(entries.at(-1)!.changes).toEqual([
      { field: 'changes', before: { text: 'Wrong fix', ledByWording: 'Dorset CCG with partners' }, after: { text: 'Right fix' } },
    ]);
  });

  it('a correction of a correction of a correction reaches the original event, as the decider sees it', () => {
    const { view } = given(
      () => registered(),
      () => agreed('1.1', date('2015-10'), { eventId: 'e-agreed' }),
      () => corrected('e-agreed', 'ActionAgreed', { text: 'First fix' }, 'e-c1'),
      () => corrected('e-c1', 'EntryCorrected', { changes: { text: 'Second fix' } }, 'e-c2'),
      () => corrected('e-c2', 'EntryCorrected', { changes: { changes: { text: 'Third fix', ledByWording: 'Dorset CCG' } } }),
    );
    expect(view).toMatchObject({ text: 'Third fix', ledByWording: 'Dorset CCG' });
  });

  it('the timeline shows a correction as the corrections of it, at any depth, have left it', () => {
    const { entries } = given(
      () => registered(),
      () => agreed('1.1', date('2015-10'), { eventId: 'e-agreed' }),
      () => corrected('e-agreed', 'ActionAgreed', { text: 'First fix' }, 'e-c1'),
      () => corrected('e-c1', 'EntryCorrected', { reason: 'Second reason' }, 'e-c2'),
      () => corrected('e-c2', 'EntryCorrected', { changes: { reason: 'Third reason' } }, 'e-c3'),
      () => corrected('e-c1', 'EntryCorrected', { reason: 'Fourth reason' }),
    );
    expect(entries.at(-1)!.changes).toEqual([{ field: 'reason', before: 'Third reason', after: 'Fourth reason' }]);
  });

  it('an amended correction does not outrank a later correction of the same event, as in the decider', () => {
    const { view } = given(
      () => registered(),
      () => agreed('1.1', date('2015-10'), { eventId: 'e-agreed' }),
      () => corrected('e-agreed', 'ActionAgreed', { text: 'First fix' }, 'e-c1'),
      () => corrected('e-c1', 'EntryCorrected', { changes: { text: 'Second fix' } }, 'e-c2'),
      () => corrected('e-c1', 'EntryCorrected', { changes: { text: 'Later fix' } }, 'e-c3'),
      () => corrected('e-c2', 'EntryCorrected', { changes: { changes: { text: 'Second fix, amended' } } }),
    );
    expect(view.text).toBe('Later fix');
  });

  it('a correction redirected to another event leaves the one it used to correct as recorded', () => {
    const { doc } = given(
      () => registered(),
      () => agreed('1.1', date('2015-10'), { eventId: 'e-1' }),
      () => agreed('1.2', date('2015-10'), { eventId: 'e-2' }),
      () => corrected('e-1', 'ActionAgreed', { ledByWording: 'Dorset CCG' }, 'e-c1'),
      () => corrected('e-c1', 'EntryCorrected', { correctedEventId: 'e-2' }),
    );
    expect(doc.actions.map((a) => a.agreed.ledByWording)).toEqual([undefined, 'Dorset CCG']);
  });

  it('the timeline follows a redirected correction: the event it left reads as recorded, the one it took reads corrected', () => {
    const { entries } = given(
      () => registered(),
      () => agreed('1.1', date('2015-10'), { eventId: 'e-1' }),
      () => agreed('1.2', date('2015-10'), { eventId: 'e-2' }),
      () => corrected('e-1', 'ActionAgreed', { text: 'Corrected wording' }, 'e-c1'),
      () => corrected('e-c1', 'EntryCorrected', { correctedEventId: 'e-2' }),
      () => corrected('e-2', 'ActionAgreed', { text: 'Wording again' }),
      () => corrected('e-1', 'ActionAgreed', { text: 'First wording fixed' }),
    );
    expect(entries.at(-2)!.changes).toEqual([{ field: 'text', before: 'Corrected wording', after: 'Wording again' }]);
    expect(entries.at(-1)!.changes).toEqual([{ field: 'text', before: 'Action 1.1', after: 'First wording fixed' }]);
  });

  it('correct a completion date, turning a late completion into one on time', () => {
    const { view } = given(
      () => registered(),
      () => agreed('1.1', date('2015-10')),
      () => ledgerFact('ActionCompleted', { ref: '1.1', completedOn: '2016-02' }, { eventId: 'e-done' }),
      () => corrected('e-done', 'ActionCompleted', { completedOn: '2015-10-20' }),
    );
    expect(view).toMatchObject({ computedStatus: 'completed-on-time', daysLateAgainstCurrent: 0 });
  });
});

describe('a corrected business date in the views', () => {
  const dated = (correctedEventId: string, correctedType: string, correctedEffectiveOn: string, eventId?: string) =>
    ledgerFact(
      'EntryCorrected',
      { correctedEventId, correctedType, changes: {}, correctedEffectiveOn, reason: 'Date typed wrong' },
      eventId ? { eventId } : {},
    );
  const update = (eventId: string, effectiveOn: string) =>
    ledgerFact(
      'ProgressUpdateRecorded',
      { target: { kind: 'action', ref: '1.1' }, narrative: 'Going', metrics: [] },
      { eventId, effectiveOn },
    );

  it('is laid on the event’s item, kept among the originals, and shown before → after in the timeline', () => {
    const { view, doc, entries } = given(
      () => registered(),
      () => agreed('1.1', date('2015-10'), { eventId: 'e-agreed' }),
      () => update('e-update', '2017-08'),
      () => dated('e-agreed', 'ActionAgreed', '2015-04-14'),
      () => dated('e-update', 'ProgressUpdateRecorded', '2015-09'),
    );
    expect(view).toMatchObject({ agreedOn: '2015-04-14', lastUpdatedOn: '2015-09', lastUpdate: { effectiveOn: '2015-09' } });
    expect(doc.originals['e-agreed']).toEqual({ effectiveOn: { value: '2015-03' } });
    expect(entries.find((e) => e.eventId === 'e-agreed')).toMatchObject({
      effectiveOn: { date: '2015-04-14', precision: 'day' },
      recordedEffectiveOn: { date: '2015-03', precision: 'month' },
    });
    expect(entries.at(-1)!.changes).toEqual([{ field: 'effectiveOn', before: '2017-08', after: '2015-09' }]);
  });

  it('is given back when its correction is redirected to another event, which takes it', () => {
    const { view, doc, entries } = given(
      () => registered(),
      () => agreed('1.1', date('2015-10')),
      () => update('e-u1', '2016-01'),
      () => update('e-u2', '2017-08'),
      () => dated('e-u1', 'ProgressUpdateRecorded', '2016-02', 'e-c1'),
      () => corrected('e-c1', 'EntryCorrected', { correctedEventId: 'e-u2' }),
    );
    expect(view).toMatchObject({ lastUpdatedOn: '2016-02', lastUpdate: { eventId: 'e-u2', effectiveOn: '2016-02' } });
    expect(doc.corrections[0]).toMatchObject({ correctedEventId: 'e-u2', correctedEffectiveOn: '2016-02' });
    expect(entries.find((e) => e.eventId === 'e-u1')).toMatchObject({ effectiveOn: { date: '2016-01' }, recordedEffectiveOn: null });
    expect(entries.find((e) => e.eventId === 'e-u2')).toMatchObject({
      effectiveOn: { date: '2016-02' },
      recordedEffectiveOn: { date: '2017-08' },
    });
  });
});
