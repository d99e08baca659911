import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstIJsonViolation } from '../src/i-json.ts';

/** True when JSON.stringify wrote a number a double cannot carry exactly as an I-JSON integer. */
const holdsUnsafeInteger = (value: unknown): boolean => {
  if (typeof value === 'number') return Number.isInteger(value) && !Number.isSafeInteger(value);
  if (Array.isArray(value)) return value.some(holdsUnsafeInteger);
  if (value !== null && typeof value === 'object') return Object.values(value).some(holdsUnsafeInteger);
  return false;
};

describe('I-JSON scan of a request body', () => {
  it('finds nothing in JSON that JSON.stringify wrote, whatever its strings hold, unless a number is an integer beyond 2^53', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2, '\t'), (value, indent) => {
        const found = firstIJsonViolation(JSON.stringify(value, null, indent));
        if (holdsUnsafeInteger(value)) expect(found?.kind).toBe('inexact-number');
        else expect(found).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it('names the path of a member given twice, at any depth and after any siblings', () => {
    const segment = fc.oneof(
      fc.string({ maxLength: 6 }).filter((s) => s !== '~other'),
      fc.nat({ max: 3 }),
    );
    const sibling = fc.jsonValue().filter((v) => !holdsUnsafeInteger(v));
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 4 }), fc.string({ maxLength: 8 }), sibling, (wrappers, name, other) => {
        // The twice-named member sits inside objects and arrays that the wrappers describe, outermost first.
        let text = `{${JSON.stringify(name)}:1,"~sibling":${JSON.stringify(other)},${JSON.stringify(name)}:2}`;
        for (const at of [...wrappers].reverse())
          text = typeof at === 'number' ? `[${'null,'.repeat(at)}${text}]` : `{"~other":[1,{"x":2}],${JSON.stringify(at)}:${text}}`;
        expect(firstIJsonViolation(text)).toMatchObject({ kind: 'duplicate-key', key: name, path: ['body', ...wrappers, name].join('.') });
      }),
      { numRuns: 500 },
    );
  });

  it('reads an escaped name as the name it spells', () => {
    expect(firstIJsonViolation('{"narrative":"x","\\u006earrative":"y"}')).toMatchObject({ kind: 'duplicate-key', key: 'narrative' });
    expect(firstIJsonViolation('{"a\\\\":1,"a\\\\\\"":2,"a\\"":3}')).toBeUndefined();
  });

  it('allows the same name in sibling and nested objects', () => {
    expect(firstIJsonViolation('{"a":{"a":1},"b":[{"a":1},{"a":2}],"c":{"b":{"a":[]}}}')).toBeUndefined();
  });

  it('refuses numbers a double would round, and keeps every spelling of a number it holds exactly', () => {
    for (const exact of ['0', '-0', '0.1', '12.50', '1E2', '2.5e-3', '9007199254740991', '-9007199254740991', '5e-324'])
      expect(firstIJsonViolation(`{"value":${exact}}`), exact).toBeUndefined();
    for (const inexact of ['9007199254740993', '9007199254740992', '1e400', '1e-400', '0.30000000000000001', '1.7976931348623157e308'])
      expect(firstIJsonViolation(`{"metrics":[{"value":${inexact}}]}`), inexact).toEqual({
        kind: 'inexact-number',
        number: inexact,
        path: 'body.metrics.0.value',
        at: 21,
      });
    expect(firstIJsonViolation('[1, 2, 9007199254740993]')).toMatchObject({ path: 'body.2' });
    expect(firstIJsonViolation('9007199254740993')).toMatchObject({ path: 'body' });
  });

  it('ignores digits and braces inside strings', () => {
    expect(firstIJsonViolation('{"a":"9007199254740993 {\\"a\\":1,\\"a\\":2}","b":"\\\\"}')).toBeUndefined();
  });
});
