import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { foldPlanStatus } from '../../projections/plan-status/projection.ts';
import { packSnapshot, unpackSnapshot } from '../../projections/runner/snapshot-codec.ts';
import { agreed, ledgerFact, registered } from './facts.ts';

/** What a document reads back as through JSON, keys in their order: a snapshot must read back the same. */
const throughJson = (doc: unknown) => JSON.stringify(doc);

describe('snapshot codec', () => {
  it('reads back a plan document with its keys in their order', () => {
    const doc = foldPlanStatus([
      registered(),
      ledgerFact('SectionAdded', { sectionRef: '1', title: 'Access — “crisis” line\nsecond line' }),
      agreed('1.2', { kind: 'date', date: '2016-03' }),
      agreed('1.1', { kind: 'date', date: '2015-10' }),
      ledgerFact('DeadlineRevised', { ref: '1.1', to: { kind: 'date', date: '2018-03' }, reason: 'Funding', agreedBy: 'Board' }),
    ]);
    const back = unpackSnapshot(packSnapshot(doc as unknown as Record<string, unknown>));
    expect(back).toStrictEqual(JSON.parse(JSON.stringify(doc)));
    expect(throughJson(back)).toBe(throughJson(doc));
  });

  it('keeps a document in lines, none holding more than one entry of what the document holds', () => {
    const actions = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`1.${i}`, { text: 'x'.repeat(10_000) }]));
    const text = inflateRawSync(packSnapshot({ planId: 'p1', actions, corrections: [{ a: 1 }, { b: 2 }] })).toString('utf8');
    const lines = text.split('\n');
    expect(lines).toHaveLength(1 + 40 + 2);
    expect(JSON.parse(lines[0]!)).toStrictEqual({ planId: 'p1', actions: {}, corrections: [] });
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThan(10_100);
  });

  it('reads back any JSON document, strings with newlines and every kind of key included', () => {
    const key = fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', '0', '10', '1.1', ''));
    const doc = fc.dictionary(key, fc.jsonValue(), { maxKeys: 8 }).map((d) => JSON.parse(JSON.stringify(d)) as Record<string, unknown>);
    fc.assert(
      fc.property(doc, (d) => {
        const back = unpackSnapshot(packSnapshot(d));
        expect(throughJson(back)).toBe(throughJson(d));
        // Node's own comparison: vitest's takes a property named constructor for the object's class.
        expect(isDeepStrictEqual(back, d)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('takes an object key "__proto__" as a property, never as the document’s prototype', () => {
    const doc = JSON.parse('{"actions":{"__proto__":{"polluted":true},"1.1":{"text":"a"}}}') as Record<string, unknown>;
    const back = unpackSnapshot(packSnapshot(doc)) as { actions: Record<string, unknown> };
    expect(Object.getPrototypeOf(back.actions)).toBe(Object.prototype);
    expect(Object.keys(back.actions)).toEqual(['__proto__', '1.1']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('leaves out a property whose value is undefined, as JSON does', () => {
    const back = unpackSnapshot(packSnapshot({ a: undefined, b: { c: undefined, d: 1 }, e: [undefined, 2] }));
    expect(back).toStrictEqual({ b: { d: 1 }, e: [null, 2] });
  });

  it('reads back what JSON would for values JSON writes its own way: holes, functions, dates', () => {
    const doc = {
      // Holes, as `new Array` leaves them (a literal with holes is refused by the linter).
      holes: Object.assign(new Array<number>(5), { 0: 1, 3: 4 }),
      kept: { f: () => 1, s: Symbol('s'), k: 1 },
      at: new Date(0),
      boxed: Object(3) as unknown,
      list: [() => 1, new Date(0)],
    } as unknown as Record<string, unknown>;
    expect(JSON.stringify(unpackSnapshot(packSnapshot(doc)))).toBe(JSON.stringify(doc));
  });

  it('reads a snapshot kept as one deflated JSON text, as snapshots were kept before the lines', () => {
    const doc = { planId: 'p1', actions: { '1.1': { text: 'a\nb' } }, corrections: [{ n: 1 }] };
    expect(unpackSnapshot(deflateRawSync(JSON.stringify(doc)))).toStrictEqual(doc);
  });
});
