import { describe, expect, it } from 'vitest';
import type { EventStore } from '../../src/store/port.ts';
import { useSqliteStores } from '../support/sqlite-stores.ts';
import { FORMATS, render, type FixtureBlock, type FixtureFormat } from './fixtures/plan-fixtures.ts';
import { importer, planEvents, seed } from './import-support.ts';

/**
 * An update opening with a date after the document's own (a month, a day, or a quarter that ends after it) was reported
 * by the document's date, so it is held to that date with a warning naming the date as written, as a quarter already
 * was: recorded as written, "March 2019: rolled out" in a plan of November 2018 was left out of every business-clock
 * answer from December 2018 to February 2019, and with no warning.
 */
const HEADER = ['No.', 'Action', 'Lead', 'Timescale', 'Progress update'];
const row = (ref: string, update: string) => [ref, `Action ${ref}`, 'Northshire ICB', 'December 2018', update];
const AS_AT = { p: 'Northshire crisis care action plan, position as at 30 November 2018' };

type Update = { narrative: string };

const importUpdates = async (store: EventStore, format: FixtureFormat, blocks: FixtureBlock[], effectiveOn?: string) => {
  const summary = await importer(store)({
    fileName: `northshire.${format}`,
    content: await render(format, blocks),
    planId: 'northshire',
    // A month, a day or a heading after the document's date stops at the gate (update-after-document): accepted here.
    acceptWarnings: true,
    ...(effectiveOn ? { effectiveOn } : {}),
  });
  const updates = (await planEvents(store, 'northshire'))
    .filter((e) => e.type === 'ProgressUpdateRecorded')
    .map((e) => [e.effectiveOn.date, (e.data as Update).narrative]);
  const held = summary.warnings.filter((w) => w.code === 'update-after-document' || w.code === 'update-period-after-document');
  return { summary, updates, held };
};

describe("an update dated after the document's date", () => {
  const stores = useSqliteStores();

  it.each(FORMATS)("is held (%s) to the document's date when it opens with a month or a day after it, once accepted", async (format) => {
    const store = stores.open({}, `month-day-${format}.db`);
    const { summary, updates, held } = await importUpdates(store, format, [
      AS_AT,
      {
        table: [
          HEADER,
          row('1.1', 'March 2019: rolled out'),
          row('1.2', '15 December 2018 – training completed'),
          row('1.3', 'Q4 2018/19: café opened'),
          // Not after it: the document's own month and day.
          row('1.4', 'November 2018: leaflets sent'),
          row('1.5', '30 November 2018 – audit done'),
        ],
      },
    ]);
    // The month and the day stop at the gate; the quarter, under way on the document's date, is held as before.
    expect(summary.gate).toMatchObject({ blocking: 2, passes: true, accepted: true });
    expect(updates).toEqual([
      ['2018-11-30', 'rolled out'],
      ['2018-11-30', 'training completed'],
      ['2018-11-30', 'café opened'],
      ['2018-11', 'leaflets sent'],
      ['2018-11-30', 'audit done'],
    ]);
    expect(held.map((w) => [w.code, w.blocking, w.message])).toEqual([
      [
        'update-after-document',
        true,
        expect.stringMatching(
          /^an update on action 1\.1 is dated "March 2019", after the document's date; recorded as effective 2018-11-30/,
        ),
      ],
      [
        'update-after-document',
        true,
        expect.stringMatching(
          /^an update on action 1\.2 is dated "15 December 2018", after the document's date; recorded as effective 2018-11-30/,
        ),
      ],
      [
        'update-period-after-document',
        false,
        expect.stringMatching(/^an update on action 1\.3 is dated "Q4 2018\/19", a quarter ending 2019-03, after the document's date/),
      ],
    ]);
  });

  it.each(FORMATS)(
    'gives an undated update before it (%s) the date it is held to, not the later one it was written with',
    async (format) => {
      const store = stores.open({}, `undated-before-${format}.db`);
      const { updates, summary } = await importUpdates(store, format, [
        AS_AT,
        { table: [HEADER, row('1.1', 'Scoping begun.\n\nMarch 2019: rolled out')] },
      ]);
      expect(updates).toEqual([
        ['2018-11-30', 'Scoping begun.'],
        ['2018-11-30', 'rolled out'],
      ]);
      expect(summary.warnings.filter((w) => w.code === 'undated-update').map((w) => w.message)).toEqual([
        expect.stringMatching(/recorded as effective 2018-11-30 \(the date of the next dated update/),
      ]);
    },
  );

  it.each(FORMATS)("holds the updates a progress column's heading dates (%s) when that date is after the document's", async (format) => {
    const store = stores.open({}, `progress-heading-${format}.db`);
    const { updates, held } = await importUpdates(store, format, [
      AS_AT,
      { table: [['No.', 'Action', 'Lead', 'Timescale', 'Progress update December 2018'], row('1.1', 'Café opened')] },
    ]);
    expect(updates).toEqual([['2018-11-30', 'Café opened']]);
    expect(held.map((w) => w.message)).toEqual([
      expect.stringMatching(/dated by the heading of its column, "Progress update December 2018" \(2018-12\), after the document's date/),
    ]);
  });

  it('holds none in a document with no date of its own, which is dated by its latest update', async () => {
    const store = stores.open({}, 'no-date.db');
    const { updates, held } = await importUpdates(store, 'txt', [
      { p: 'Northshire crisis care action plan' },
      { table: [HEADER, row('1.1', 'AUG 2017 Protocol drafted'), row('1.2', 'March 2018: rolled out')] },
    ]);
    expect(updates).toEqual([
      ['2017-08', 'Protocol drafted'],
      ['2018-03', 'rolled out'],
    ]);
    expect(held).toEqual([]);
  });

  it('holds one to the date --effective-on gives, which is the date the document speaks as of', async () => {
    const store = stores.open({}, 'effective-on.db');
    const { updates, held } = await importUpdates(
      store,
      'txt',
      [
        { p: 'Northshire crisis care action plan' },
        { table: [HEADER, row('1.1', 'AUG 2017 Protocol drafted'), row('1.2', 'March 2018: rolled out')] },
      ],
      '2017-12',
    );
    expect(updates).toEqual([
      ['2017-08', 'Protocol drafted'],
      ['2017-12', 'rolled out'],
    ]);
    expect(held.map((w) => w.message)).toEqual([
      expect.stringMatching(/"March 2018", after the document's date; recorded as effective 2017-12/),
    ]);
  });
});

describe('--effective-on given over a date the document states', () => {
  const stores = useSqliteStores();

  it('says that updates dated after the date given are held to it, as well as that undated facts take it', async () => {
    const store = stores.open({}, 'override.db');
    const { summary, updates } = await importUpdates(
      store,
      'txt',
      [AS_AT, { table: [HEADER, row('1.1', 'AUG 2018 Protocol drafted'), row('1.2', 'October 2018: rolled out')] }],
      '2018-09',
    );
    expect(updates).toEqual([
      ['2018-08', 'Protocol drafted'],
      ['2018-09', 'rolled out'],
    ]);
    expect(summary.warnings.find((w) => w.code === 'effective-on-overrides')?.message).toBe(
      'the document reads as of 2018-11-30; --effective-on 2018-09 was given, so undated facts are dated 2018-09, ' +
        'and updates dated after it are held to it',
    );
  });
});

describe('a document whose stated date is older than its dated updates (a cover page not brought up to date)', () => {
  const stores = useSqliteStores();

  it("stops at the gate rather than move the Dorset plan's August 2017 updates back to a cover's March 2016", async () => {
    const store = stores.open({}, 'stale-cover.db');
    // The real Dorset plan, its updates opening "AUG 2017", under a cover line the docs give as a document's date.
    const content = Buffer.concat([
      Buffer.from('Dorset Crisis Care Concordat action plan. Updated March 2016\n\n'),
      seed('dorset-crisis-care-concordat-action-plan.txt'),
    ]);
    const run = importer(store);
    const preview = await run({ fileName: 'dorset.txt', content, planId: 'dorset', dryRun: true });
    const after = preview.warnings.filter((w) => w.code === 'update-after-document');
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((w) => w.blocking)).toBe(true);
    expect(after[0]!.message).toMatch(/is dated "AUG 2017", after the document's date; recorded as effective 2016-03/);
    expect(preview.gate).toMatchObject({ passes: false });
    const error = await run({ fileName: 'dorset.txt', content, planId: 'dorset' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'import-has-blocking-warnings' });
    expect(await store.count()).toBe(0);
    // The document's right date, given, records each update as written.
    const given = await run({ fileName: 'dorset.txt', content, planId: 'dorset', effectiveOn: '2017-08' });
    expect(given.gate).toMatchObject({ blocking: 0, passes: true });
    const dates = (await planEvents(store, 'dorset')).filter((e) => e.type === 'ProgressUpdateRecorded').map((e) => e.effectiveOn.date);
    expect(new Set(dates)).toEqual(new Set(['2017-08']));
  });
});
