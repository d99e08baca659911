import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonBytes } from '../../src/http/json-bytes.ts';

describe('JSON answers as bytes', () => {
  it('are exactly the UTF-8 of JSON.stringify, for any value', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withBoxedValues: true,
          withDate: true,
          withMap: true,
          withSet: true,
          withNullPrototype: true,
          withSparseArray: true,
          maxDepth: 4,
        }),
        (value) => {
          if (JSON.stringify(value) === undefined) return;
          expect(jsonBytes(value).toString('utf8')).toBe(JSON.stringify(value));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('leave out properties JSON cannot write and write such array entries as null', () => {
    const value = { a: undefined, b: () => 1, c: [undefined, () => 1, Symbol('s')], d: { e: undefined, f: 'é “quoted” \n' }, g: 1 };
    expect(jsonBytes(value).toString('utf8')).toBe(JSON.stringify(value));
    expect(jsonBytes({ a: undefined }).toString('utf8')).toBe('{}');
  });

  it('ask toJSON with the key the value is held under, at every depth', () => {
    const keyed = { toJSON: (key: string) => `key=${key}` };
    const value = { a: keyed, b: { c: keyed, d: [keyed, { e: keyed }] }, f: [keyed], g: [1, 2, keyed, 4, new Date(0)], h: [[keyed]] };
    expect(jsonBytes(value).toString('utf8')).toBe(JSON.stringify(value));
  });

  it('write an answer of many entries in pieces with the same bytes', () => {
    const answer = {
      planId: 'p1',
      actions: Array.from({ length: 500 }, (_, i) => ({ ref: `1.${i}`, text: 'x'.repeat(300), lead: ['Dorset CCG — “lead”'] })),
    };
    expect(jsonBytes(answer).equals(Buffer.from(JSON.stringify(answer), 'utf8'))).toBe(true);
    const scalars = {
      days: Array.from({ length: 50_000 }, (_, i) => (i % 7 === 0 ? null : i)),
      rows: [Array.from({ length: 3 }, () => 'é')],
    };
    expect(jsonBytes(scalars).equals(Buffer.from(JSON.stringify(scalars), 'utf8'))).toBe(true);
  });
});
