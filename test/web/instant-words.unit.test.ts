import { describe, expect, it } from 'vitest';
import { exactInstant, instant } from '../../src/presentation/format.ts';

describe('a recorded time on the pages names the zone London was in', () => {
  it('says BST or GMT, so a page agrees visibly with the UTC of the API and the CSV', () => {
    expect(instant('2015-10-20T09:30:04.954Z')).toBe('20 October 2015 at 10:30 BST');
    expect(instant('2016-01-05T09:30:00.000Z')).toBe('5 January 2016 at 09:30 GMT');
  });

  it('tells apart the two 01:30s of the night the clocks go back', () => {
    expect([instant('2026-10-25T00:30:00.000Z'), instant('2026-10-25T01:30:00.000Z')]).toEqual([
      '25 October 2026 at 01:30 BST',
      '25 October 2026 at 01:30 GMT',
    ]);
  });

  it('writes a year before 1000 in four digits, as a business date is written, not as one of this century', () => {
    // Before December 1847 London kept its own mean time, 75 seconds behind Greenwich.
    expect(exactInstant('0099-12-31T12:00:00.000Z')).toBe('31 December 0099 at 11:58:45 GMT-0:01:15');
    expect(instant('0999-06-01T12:00:00.000Z')).toBe('1 June 0999 at 11:58 GMT-0:01:15');
    expect(exactInstant('2019-03-31T00:59:59.999Z')).toBe('31 March 2019 at 00:59:59.999 GMT');
  });
});
