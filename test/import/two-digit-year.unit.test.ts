import { describe, expect, it } from 'vitest';
import { inWords, mayBeADay, twoReadings } from '../../src/import/two-digit-year.ts';

describe('a month and a two-digit figure beside the document date', () => {
  it('reads one way within the two years up to the document date, the month it holds included', () => {
    expect(twoReadings('Aug 15', '2017-08')).toBeUndefined();
    expect(twoReadings('Aug 17', '2017-08-01')).toBeUndefined();
    expect(twoReadings('Nov 18', '2018-11-01')).toBeUndefined();
  });

  it('reads two ways further back, the day in the latest year that keeps it no later than the document date', () => {
    expect(twoReadings('Jul 15', '2017-08')).toEqual({ asYear: '2015-07', asDay: '2017-07-15', falls: 'before' });
    expect(twoReadings('June 12', '2017-03-01')).toEqual({ asYear: '2012-06', asDay: '2016-06-12', falls: 'before' });
  });

  it('reads two ways when the year would be after the document date', () => {
    expect(twoReadings('Dec 18', '2018-11-30')).toEqual({ asYear: '2018-12', asDay: '2017-12-18', falls: 'after' });
    expect(twoReadings('Feb 29', '2017-08')).toEqual({ asYear: '2029-02', asDay: '2016-02-29', falls: 'after' });
  });

  it('reads one way where the figure is no day of the month, or a year is written with a hyphen, apostrophe or slash', () => {
    expect(twoReadings('June 31', '2017-08')).toBeUndefined();
    expect(twoReadings('June 00', '2017-08')).toBeUndefined();
    expect(twoReadings('Jun-12', '2017-08')).toBeUndefined();
    expect(twoReadings("Jun '12", '2017-08')).toBeUndefined();
    expect(twoReadings('Jun/12', '2017-08')).toBeUndefined();
    expect(twoReadings('12 June 2012', '2017-08')).toBeUndefined();
  });

  it('tells a month and a figure that may be a day of it, in some year, from one that can only be a year', () => {
    expect(['Dec 24', 'Feb 29', 'Sept. 12', ' June 01 '].map(mayBeADay)).toEqual([true, true, true, true]);
    expect(['June 31', 'Feb 30', 'June 00', 'Jun-12', "Jun '12", 'June 2012', '15/08/22', undefined].map(mayBeADay)).toEqual(
      Array.from({ length: 8 }, () => false),
    );
  });

  it('names a month and a day in words', () => {
    expect([inWords('2012-06'), inWords('2017-06-12')]).toEqual(['June 2012', '12 June 2017']);
  });
});
