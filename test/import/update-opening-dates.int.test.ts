import { describe, expect, it } from 'vitest';
import { ImportError } from '../../src/import/import-error.ts';
import { useSqliteStores } from '../support/sqlite-stores.ts';
import { FORMATS, render, type FixtureBlock } from './fixtures/plan-fixtures.ts';
import { importer, planEvents } from './import-support.ts';

/**
 * The date an update opens with, as trusts write it: the month first with its comma ("June 30, 2018 – …", US style) or
 * "th", the day first, with "th" or not, a month alone, and a quarter. Each dates its update as written; "Jun 30 18" and
 * "June 30 2018", each of which may be 30 June 2018 or June 2030 followed by a figure, are not guessed at.
 */
const HEADER = ['No.', 'Action', 'Lead', 'Timescale', 'Progress update'];
const row = (ref: string, update: string) => [ref, `Action ${ref}`, 'Northshire ICB', 'December 2018', update];
const plan = (...rows: string[][]): FixtureBlock[] => [
  { p: 'Northshire crisis care action plan, position as at 30 November 2018' },
  { table: [HEADER, ...rows] },
];

const DATED = plan(
  row('1.1', 'June 30, 2018 – met with police to agree the protocol'),
  row('1.2', 'March 12, 2018 training started'),
  row('1.3', '30 June 2018 – audit begun'),
  row('1.4', 'June 30th 2018 – review begun'),
  row('1.5', 'June 30th, 2018 – review begun'),
  row('1.6', '30th June 2018 – review begun'),
  row('1.7', 'June 2018 – review begun'),
  row('1.8', 'Q2 2018/19: second review begun'),
  row('1.9', 'Q2 2018: review begun'),
);

type Update = { narrative: string };

describe('the date an update opens with', () => {
  const stores = useSqliteStores();

  it.each(FORMATS)('is read as written (%s): a month, its day with a comma or "th", and its year are that day', async (format) => {
    const store = stores.open({}, `dated-${format}.db`);
    const summary = await importer(store)({ fileName: `northshire.${format}`, content: await render(format, DATED), planId: 'northshire' });
    expect(summary.gate).toMatchObject({ blocking: 0, passes: true });
    const updates = (await planEvents(store, 'northshire'))
      .filter((e) => e.type === 'ProgressUpdateRecorded')
      .map((e) => [e.effectiveOn.date, (e.data as Update).narrative]);
    expect(updates).toEqual([
      ['2018-06-30', 'met with police to agree the protocol'],
      ['2018-03-12', 'training started'],
      ['2018-06-30', 'audit begun'],
      ['2018-06-30', 'review begun'],
      ['2018-06-30', 'review begun'],
      ['2018-06-30', 'review begun'],
      ['2018-06', 'review begun'],
      ['2018-09', 'second review begun'],
      ['2018-06', 'review begun'],
    ]);
    // A calendar quarter may have meant the financial one: read as written, the other reading named.
    expect(summary.warnings.filter((w) => w.code === 'ambiguous-quarter').map((w) => w.message)).toEqual([
      expect.stringMatching(/"Q2 2018": read as a calendar quarter, effective 2018-06; .*financial quarter it is 2018-09/),
    ]);
    expect(summary.warnings.map((w) => w.code)).not.toContain('undated-update');
  });

  it.each(FORMATS)("is held (%s) to the document's date when it is a quarter that ends after it", async (format) => {
    const store = stores.open({}, `quarter-${format}.db`);
    const blocks: FixtureBlock[] = [
      { p: 'Northshire crisis care action plan, position as at 1 November 2018' },
      { table: [HEADER, row('1.1', 'Q2 2018/19: audit begun\nQ3 2018/19: audit half done')] },
    ];
    const summary = await importer(store)({
      fileName: `northshire.${format}`,
      content: await render(format, blocks),
      planId: 'northshire',
    });
    expect(summary.gate).toMatchObject({ blocking: 0, passes: true });
    const updates = (await planEvents(store, 'northshire'))
      .filter((e) => e.type === 'ProgressUpdateRecorded')
      .map((e) => [e.effectiveOn.date, (e.data as Update).narrative]);
    expect(updates).toEqual([
      ['2018-09', 'audit begun'],
      ['2018-11-01', 'audit half done'],
    ]);
    expect(summary.warnings.filter((w) => w.code === 'update-period-after-document').map((w) => w.message)).toEqual([
      expect.stringMatching(/"Q3 2018\/19", a quarter ending 2018-12, after the document's date; recorded as effective 2018-11-01/),
    ]);
  });

  it.each(FORMATS)(
    'is not guessed (%s) when it reads two ways ("Jun 30 18", "June 30 2018"): the import stops at the gate, nothing written',
    async (format) => {
      const store = stores.open({}, `ambiguous-${format}.db`);
      const blocks = plan(
        row('1.1', 'March 12, 2018 – protocol drafted'),
        row('1.2', 'Jun 30 18 – met with police'),
        row('1.3', 'June 30 2018 – met with police'),
      );
      const run = importer(store);
      const preview = await run({
        fileName: `northshire.${format}`,
        content: await render(format, blocks),
        planId: 'northshire',
        dryRun: true,
      });
      expect(preview.warnings.filter((w) => w.code === 'update-date-ambiguous')).toEqual([
        expect.objectContaining({ blocking: true, message: expect.stringMatching(/^update opening "Jun 30 18" may be/) }),
        expect.objectContaining({ blocking: true, message: expect.stringMatching(/^update opening "June 30 2018" may be/) }),
      ]);
      const error = await run({ fileName: `northshire.${format}`, content: await render(format, blocks), planId: 'northshire' }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ImportError);
      expect(error).toMatchObject({ code: 'import-has-blocking-warnings' });
      expect(await store.count()).toBe(0);
    },
  );
});
