import { describe, expect, it } from 'vitest';
import { firstDifference } from '../../src/cli/first-difference.ts';

describe('firstDifference: where a view read again first parts from the one in a file', () => {
  it('finds nothing between the same JSON, whatever order its members were written in', () => {
    expect(firstDifference({ a: 1, b: [{ c: null }] }, { b: [{ c: null }], a: 1 })).toBeUndefined();
  });

  it('names the first differing member in sorted order, an item of a list by its index, and a member one side lacks', () => {
    expect(firstDifference({ z: 1, actions: [{ outcome: 'met' }] }, { z: 2, actions: [{ outcome: 'open' }] })).toEqual({
      path: '$.actions[0].outcome',
      left: 'met',
      right: 'open',
    });
    expect(firstDifference({ list: [1, 2] }, { list: [1, 2, 3] })).toEqual({ path: '$.list[2]', left: undefined, right: 3 });
    expect(firstDifference({ 'odd key': {} }, {})).toEqual({ path: '$["odd key"]', left: {}, right: undefined });
    expect(firstDifference({ n: 1 }, { n: '1' })).toEqual({ path: '$.n', left: 1, right: '1' });
  });
});
