import { describe, expect, it } from 'vitest';
import { decodeLine, encodeLine } from '../../projections/history/line-codec.ts';
import type { PartLine } from '../../projections/history/parts.ts';
import { createInterner } from '../../projections/history/storage/interner.ts';
import type { ActionLine, RevisionLine } from '../../projections/plan-status/plan-lines.ts';

const revision = (n: number): RevisionLine => ({
  from: { kind: 'date', date: `2016-${String(n).padStart(2, '0')}` },
  to: { kind: 'date', date: `2016-${String(n + 1).padStart(2, '0')}` },
  reason: `slipped ${n}`,
  agreedBy: null,
  recordedBy: 'Jo Bloggs',
  effectiveOn: '2016-01-04',
  recordedAt: '2016-01-05T09:00:00.000Z',
  recordedAfterDeadline: false,
  deadlineShown: null,
});

const actionWith = (revisions: number, late = 0): PartLine => {
  const line: ActionLine = {
    ref: '1.1',
    text: 'Street triage in every locality',
    status: 'inProgress',
    agreedOn: '2015-03',
    originalDue: { kind: 'date', date: '2016-01' },
    currentDue: { kind: 'date', date: `2016-${String(revisions + 1).padStart(2, '0')}` },
    deadlines: [{ kind: 'date', date: '2016-01' }, ...Array.from({ length: revisions }, (_, i) => revision(i + 1).to)],
    completedOn: null,
    closedOn: null,
    leads: ['Dorset HealthCare'],
    partners: [],
    lastUpdatedOn: '2016-01-04',
    reportedRag: null,
    evidence: 0,
    late: { count: late, maxLagDays: late === 0 ? 0 : 90 },
    revisedAfterDeadline: 0,
    closureRecordedAfterDeadline: null,
    details: {
      revisions: Array.from({ length: revisions }, (_, i) => revision(i + 1)),
      lateRecords:
        late === 0
          ? []
          : [
              {
                eventId: `e${late}`,
                type: 'ProgressUpdateRecorded',
                effectiveOn: '2016-01',
                recordedAt: '2016-05-01T00:00:00Z',
                lagDays: 90,
              },
            ],
    },
  };
  return { part: 'a', line };
};

/** An interner and the values it has given, by id. */
const table = (remember?: { values: number; chars: number }) => {
  const interner = createInterner(0, 1, remember);
  const values = new Map<number, unknown>();
  const value = (id: number) => {
    for (const [i, json] of interner.drain()) values.set(i, JSON.parse(json));
    return values.get(id);
  };
  return { interner, values, value, details: { resolve: (ids: number[]) => ids.map(value) } };
};

describe('the history gives each value one id while it is in use', () => {
  it('a value met again in every generation keeps its id however many others come between', () => {
    const { interner } = table({ values: 10, chars: 10_000 });
    const hot = interner.intern('Dorset HealthCare');
    for (let i = 0; i < 1_000; i++) {
      interner.intern(`update ${i}`);
      if (i % 5 === 0) expect(interner.intern('Dorset HealthCare')).toBe(hot);
    }
    // Forgetting costs space, never meaning: a value unused for two generations comes back under a new id.
    const cold = interner.intern('cold');
    for (let i = 0; i < 30; i++) interner.intern(`later ${i}`);
    expect(interner.intern('cold')).not.toBe(cold);
  });

  it('worker threads hand out ids that never meet', () => {
    const a = createInterner(100, 2);
    const b = createInterner(101, 2);
    const ids = [a.intern('x'), a.intern('y'), b.intern('x'), b.intern('z')];
    expect(new Set(ids).size).toBe(4);
  });
});

describe('an action line re-encoded takes its details’ ids from the line it follows', () => {
  it('the revisions and deadlines it already held keep their ids and are not looked up again; new ones are', () => {
    const t = table();
    const before = encodeLine(actionWith(3, 1), t.interner.intern);
    t.value(-1); // takes the values given so far into the table
    // An interner that has forgotten everything: what it is asked for is what gets a new id.
    const forgetful = createInterner(1_000);
    const after = encodeLine(actionWith(4, 1), forgetful.intern, before);
    const drained = forgetful.drain();
    const given = drained.map(([, json]) => JSON.parse(json) as unknown);
    expect(given).toContainEqual(revision(4));
    for (const n of [1, 2, 3]) expect(given).not.toContainEqual(revision(n));
    // The deadlines: the agreed one and each revision's, then the new revision's.
    expect(given).toContainEqual(revision(4).to);
    for (const due of [{ kind: 'date', date: '2016-01' }, ...[1, 2, 3].map((n) => revision(n).to)]) expect(given).not.toContainEqual(due);
    expect(given.some((v) => Array.isArray(v) && (v as { eventId?: string }[])[0]?.eventId === 'e1')).toBe(false);
    for (const [id, json] of drained) t.values.set(id, JSON.parse(json));
    const decoded = decodeLine('a:1.1', after, 0, t.value, t.details);
    expect(JSON.parse(JSON.stringify(decoded))).toEqual(actionWith(4, 1));
  });

  it('a new late record, or fewer revisions than the line before held, are looked up in full', () => {
    const t = table();
    const before = encodeLine(actionWith(3, 1), t.interner.intern);
    for (const next of [actionWith(3, 2), actionWith(2, 1)]) {
      const after = encodeLine(next, t.interner.intern, before);
      expect(JSON.parse(JSON.stringify(decodeLine('a:1.1', after, 0, t.value, t.details)))).toEqual(next);
    }
  });
});
