import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeLine, encodeLine } from '../../projections/history/line-codec.ts';
import type { PartLine } from '../../projections/history/parts.ts';
import { decodeBlock, encodeBlock, partsAt } from '../../projections/history/storage/block-codec.ts';
import { createInterner } from '../../projections/history/storage/interner.ts';
import { stateAt, type LineBlock } from '../../projections/history/storage/line-blocks.ts';
import { ByteReader, ByteWriter } from '../../projections/history/storage/varint.ts';
import { ALWAYS } from '../../projections/history/business-days.ts';

/** An interner whose values can be read back by id, as the history's table of values gives them. */
const table = () => {
  const interner = createInterner(0);
  const values = new Map<number, unknown>();
  const value = (id: number) => {
    for (const [i, json] of interner.drain()) values.set(i, JSON.parse(json));
    return values.get(id);
  };
  /** The ids an action's details were resolved for, in the order asked. */
  const resolved: number[] = [];
  const details = {
    resolve: (ids: number[]) => {
      resolved.push(...ids);
      return ids.map(value);
    },
  };
  return { intern: interner.intern, value, details, resolved };
};

/** A plan's header line registered on a date, in an area or none. */
const headerOn = (registeredOn: string, area: string | null = null): PartLine => ({
  part: 'h',
  line: {
    title: 'Dorset CCC',
    kind: 'crisis-care-concordat',
    owner: 'Dorset CCG',
    governanceBody: null,
    area,
    registeredOn,
    retracted: false,
  },
});

/** A line as plain data, its details read: what a view sees of it. */
const plain = (line: PartLine) => JSON.parse(JSON.stringify(line)) as unknown;

const action: PartLine = {
  part: 'a',
  line: {
    ref: '1.3',
    text: 'Street triage in every locality',
    status: 'completed',
    agreedOn: '2015-03',
    originalDue: { kind: 'date', date: '2015-10' },
    currentDue: { kind: 'date', date: '2018-03' },
    deadlines: [
      { kind: 'date', date: '2015-10' },
      { kind: 'date', date: '2018-03' },
    ],
    completedOn: '2017-08',
    closedOn: '2017-08',
    leads: ['Dorset HealthCare'],
    partners: ['Dorset Police', 'SWASFT'],
    lastUpdatedOn: '2017-08-31',
    reportedRag: { rating: 'Green', reportedOn: '2017-08' },
    evidence: 2,
    late: { count: 1, maxLagDays: 400 },
    revisedAfterDeadline: 1,
    closureRecordedAfterDeadline: { recordedAt: '2017-10-02T09:00:00.000Z', deadlineShown: { kind: 'date', date: '2017-09' } },
    details: {
      revisions: [
        {
          from: { kind: 'date', date: '2015-10' },
          to: { kind: 'date', date: '2018-03' },
          reason: 'Delayed by recruitment',
          agreedBy: null,
          recordedBy: 'Jo Bloggs',
          effectiveOn: '2015-11-14',
          recordedAt: '2015-10-15T09:00:00.000Z',
          recordedAfterDeadline: true,
          deadlineShown: { kind: 'date', date: '2015-10' },
        },
      ],
      lateRecords: [
        { eventId: 'e1', type: 'ProgressUpdateRecorded', effectiveOn: '2016-01', recordedAt: '2017-03-01T00:00:00.000Z', lagDays: 400 },
      ],
    },
  },
};

describe('the history stores lines and blocks as bytes that give them back exactly', () => {
  it('whole numbers up to 2^52 either way, and the business clock’s "always", read back as written', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.integer(), fc.integer({ min: -(2 ** 52), max: 2 ** 52 }), fc.constant(ALWAYS), fc.integer({ min: -2, max: 300 })),
        ),
        (ns) => {
          const w = new ByteWriter();
          for (const n of ns) w.int(n);
          w.text('a:1.10');
          const r = new ByteReader(w.done());
          expect(ns.map(() => r.int())).toEqual(ns);
          expect(r.text()).toBe('a:1.10');
        },
      ),
    );
  });

  it('an action, a recommendation and a header line decode to the line encoded, dates of either precision included', () => {
    const t = table();
    const lines: [string, PartLine][] = [
      ['a:1.3', action],
      [
        'a:2.2',
        {
          part: 'a',
          line: {
            ...action.line,
            ref: '2.2',
            completedOn: null,
            closedOn: null,
            reportedRag: null,
            deadlines: [action.line.originalDue],
            currentDue: action.line.originalDue,
            late: { count: 0, maxLagDays: 0 },
            revisedAfterDeadline: 0,
            closureRecordedAfterDeadline: null,
            details: { revisions: [], lateRecords: [] },
          },
        } as PartLine,
      ],
      ['r:R1', { part: 'r', line: { ref: 'R1', text: 'Street triage everywhere', addressedTo: ['SWAST'], judgement: null } }],
      ['r:R2', { part: 'r', line: { ref: 'R2', text: 'Assure it', addressedTo: [], judgement: 'assured' } }],
      ['h', headerOn('2015-03-02', 'Dorset')],
    ];
    for (const [part, line] of lines) {
      const bytes = encodeLine(line, t.intern);
      expect(plain(decodeLine(part, bytes, 0, t.value, t.details))).toEqual(line);
    }
  });

  it("an action's revisions and late records are resolved only when a view reads them, and then in full", () => {
    const t = table();
    const decoded = decodeLine('a:1.3', encodeLine(action, t.intern), 0, t.value, t.details);
    if (decoded.part !== 'a' || action.part !== 'a') throw new Error('an action line');
    expect(decoded.line.deadlines).toEqual(action.line.deadlines);
    expect(decoded.line.late).toEqual(action.line.late);
    expect(t.resolved).toEqual([]);
    expect(decoded.line.details.revisions).toEqual(action.line.details.revisions);
    expect(decoded.line.details.lateRecords).toEqual(action.line.details.lateRecords);
    expect(t.resolved).toHaveLength(2);
  });

  it('a date in no form the ledger writes today is kept as a value, not lost', () => {
    const t = table();
    const odd = { ...action, line: { ...action.line, agreedOn: 'Spring 2015' } } as PartLine;
    expect(plain(decodeLine('a:1.3', encodeLine(odd, t.intern), 0, t.value, t.details))).toEqual(odd);
  });

  it('a business date of any year the ledger accepts, a month or a day, decodes to the date written', () => {
    const t = table();
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    const date = fc
      .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.option(fc.integer({ min: 1, max: 28 })))
      .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}${d === null ? '' : `-${pad(d, 2)}`}`);
    fc.assert(
      fc.property(date, date, (agreedOn, completedOn) => {
        const line = {
          ...action,
          line: { ...action.line, agreedOn, completedOn, closedOn: completedOn, lastUpdatedOn: agreedOn },
        } as PartLine;
        expect(plain(decodeLine('a:1.3', encodeLine(line, t.intern), 0, t.value, t.details))).toEqual(line);
      }),
    );
    for (const early of ['0000-01', '0001-02-03', '0099-12', '0999-06', '1899-12-31', '2200-01'])
      expect(plain(decodeLine('h', encodeLine(headerOn(early), t.intern), 0, t.value, t.details))).toEqual(headerOn(early));
  });

  it('a block decodes to the block encoded, and the parts at any point are the lines its base and changes give there', () => {
    const t = table();
    const line = (n: number) =>
      encodeLine({ part: 'r', line: { ref: `R${n}`, text: `text ${n}`, addressedTo: [], judgement: null } }, t.intern);
    const parts = fc.constantFrom('h', 'k', 'a:1.1', 'a:1.10', 'r:R1');
    const change = fc.tuple(
      fc.integer({ min: 0, max: 50 }),
      parts,
      fc.oneof(fc.constant(null), fc.constant(0 as const), fc.nat(9).map(line)),
      fc.nat(99),
      fc.nat(99),
    );
    const block = fc.record({
      base: fc.uniqueArray(fc.tuple(parts, fc.oneof(fc.constant(null), fc.nat(9).map(line)), fc.nat(99), fc.nat(99)), {
        selector: (b) => b[0],
      }),
      changes: fc.array(change, { maxLength: 32 }).map((cs) => cs.sort((a, b) => a[0] - b[0])),
    });
    fc.assert(
      fc.property(block, fc.integer({ min: -1, max: 51 }), ({ base, changes }, at) => {
        const b: LineBlock = { seq: 3, first: changes[0]?.[0] ?? 0, base, changes };
        const bytes = encodeBlock(b);
        expect(decodeBlock(3, b.first, bytes)).toEqual(b);
        const expected = stateAt(b, at);
        const found = partsAt(bytes, at);
        expect(found.parts.filter((_, i) => found.present[i]).sort()).toEqual([...expected.keys()].sort());
        for (const [part, s] of expected) {
          const i = found.parts.indexOf(part);
          expect([found.lastPos[i], found.firstPos[i]]).toEqual([s.lastPos, s.firstPos]);
          if (s.line === null) expect(found.line[i]).toBe(-1);
          else
            expect(decodeLine('r:R', bytes, found.line[i]!, t.value, t.details)).toEqual(decodeLine('r:R', s.line, 0, t.value, t.details));
        }
      }),
    );
  });

  it('a block lists its parts in the order they were created, those created by one event in the order it met them', () => {
    const parts = fc.constantFrom('h', 'a:1.1', 'a:1.2', 'a:1.10', 'r:R1', 'r:R2');
    const block = fc.record({
      base: fc.uniqueArray(fc.tuple(parts, fc.constant(null), fc.nat(99), fc.nat(20)), { selector: (b) => b[0] }),
      changes: fc
        .array(fc.tuple(fc.integer({ min: 0, max: 50 }), parts, fc.constant(0 as const), fc.nat(99), fc.nat(20)), { maxLength: 32 })
        .map((cs) => cs.sort((a, b) => a[0] - b[0])),
    });
    fc.assert(
      fc.property(block, ({ base, changes }) => {
        const b: LineBlock = { seq: 0, first: changes[0]?.[0] ?? 0, base, changes };
        // What a reader takes a part's creation to be, and the order in which the block meets its parts.
        const created = new Map<string, number>();
        for (const [part, , , first] of base) if (!created.has(part)) created.set(part, first);
        for (const [, part, , , first] of changes) if (!created.has(part)) created.set(part, first);
        const met = [...created.keys()];
        const expected = [...met].sort((x, y) => created.get(x)! - created.get(y)! || met.indexOf(x) - met.indexOf(y));
        const bytes = encodeBlock(b);
        const found = partsAt(bytes, Number.POSITIVE_INFINITY);
        expect(found.parts).toEqual(expected);
        expect(found.parts.map((_, i) => found.firstPos[i])).toEqual(expected.map((part) => created.get(part)));
        // What a reader relies on to list lines without sorting: at any point, the parts standing come in creation order.
        for (let at = -1; at <= 51; at++) {
          const standing = partsAt(bytes, at);
          const firsts = standing.firstPos.filter((_, i) => standing.present[i]);
          expect(firsts).toEqual([...firsts].sort((x, y) => x - y));
        }
      }),
    );
  });
});
