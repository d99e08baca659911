import contentDisposition from 'content-disposition';
import { describe, expect, it } from 'vitest';
import { csvDisposition, deadlinesCsvName } from '../../src/web/deadlines-csv.ts';

const period = { from: '2015-01', to: '2016-12' };
const clocks = { asOf: '2019-03-01T17:00:00.000Z', effectiveOn: undefined };

describe("the deadlines CSV's file name", () => {
  it("keeps an organisation's accented letters whole, and the header offers the name in UTF-8 with a plain fallback", () => {
    const name = deadlinesCsvName({ ...period, organisation: 'Société Générale/Trust – Ørsted & Co' }, clocks);
    expect(name).toBe('deadlines-2015-01-to-2016-12-for-Société-Générale-Trust-Ørsted-Co-as-of-2019-03-01T17-00-00Z.csv');
    // Written in decomposed form (e + combining accent), it is the same name.
    expect(deadlinesCsvName({ ...period, organisation: 'Socie\u0301te\u0301 Ge\u0301ne\u0301rale/Trust – Ørsted & Co' }, clocks)).toBe(
      name,
    );
    const header = csvDisposition(name);
    // A reader of RFC 6266 takes filename* over filename.
    expect(contentDisposition.parse(header).parameters.filename).toBe(name);
    expect(header).toMatch(
      /^attachment; filename="deadlines-2015-01-to-2016-12-for-Societe-Generale-Trust-rsted-Co-as-of-[^"]+"; filename\*=UTF-8''/,
    );
    expect(csvDisposition('deadlines-2015-01-to-2016-12.csv')).toBe('attachment; filename="deadlines-2015-01-to-2016-12.csv"');
  });
});
