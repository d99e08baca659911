import { describe, expect, it } from 'vitest';
import { ImportError } from '../../src/import/import-error.ts';
import { useSqliteStores } from '../support/sqlite-stores.ts';
import { FORMATS, render, type FixtureBlock } from './fixtures/plan-fixtures.ts';
import { importer, planEvents } from './import-support.ts';

/**
 * "June 12 staff trained" in a plan of August 2017 was read as June 2012, a month and a two-digit year, with no
 * warning: the update counted on the business clock from 2012, and the plan and its actions were registered as known
 * from June 2012, the earliest date the document seemed to show. Within the two years up to the document's date the
 * reading stands ("Aug 17 500 leaflets sent" is August 2017); outside them it reads two ways and is not guessed.
 */
const HEADER = ['No.', 'Action', 'Lead', 'Timescale', 'Progress update'];
const row = (ref: string, update: string) => [ref, `Action ${ref}`, 'Northshire CCG', 'December 2017', update];
const plan = (asAt: string, ...rows: string[][]): FixtureBlock[] => [
  { p: `Northshire crisis care action plan, updated ${asAt}` },
  { table: [HEADER, ...rows] },
];

type Update = { narrative: string };

describe('an update opening with a month and a two-digit figure', () => {
  const stores = useSqliteStores();

  it.each(FORMATS)('is that month and year (%s) within the two years up to the document date', async (format) => {
    const store = stores.open({}, `within-${format}.db`);
    const content = await render(
      format,
      plan(
        'August 2017',
        row('1.1', 'Aug 17 500 leaflets sent'),
        row('1.2', 'Nov 15 modelling completed'),
        row('1.3', 'Aug 15 pilot began'),
      ),
    );
    const summary = await importer(store)({ fileName: `northshire.${format}`, content, planId: 'northshire' });
    expect(summary.gate).toMatchObject({ blocking: 0, passes: true });
    const updates = (await planEvents(store, 'northshire'))
      .filter((e) => e.type === 'ProgressUpdateRecorded')
      .map((e) => [e.effectiveOn.date, (e.data as Update).narrative]);
    expect(updates).toEqual([
      ['2017-08', '500 leaflets sent'],
      ['2015-11', 'modelling completed'],
      ['2015-08', 'pilot began'],
    ]);
  });

  it.each(FORMATS)(
    'is not guessed (%s) when the year would fall more than two years before the document date, or after it: it stops at the gate',
    async (format) => {
      const store = stores.open({}, `outside-${format}.db`);
      const content = await render(
        format,
        plan('November 2018', row('1.1', 'June 12 staff trained'), row('1.2', 'Jul 16 pilot began'), row('1.3', 'Mar 19 – café opened')),
      );
      const run = importer(store);
      const preview = await run({ fileName: `northshire.${format}`, content, planId: 'northshire', dryRun: true });
      expect(preview.warnings.filter((w) => w.code === 'update-date-ambiguous').map((w) => [w.blocking, w.message])).toEqual([
        [
          true,
          'update opening "June 12" on action 1.1 may be June 2012, a month and two-digit year more than two years before ' +
            "the document's date (2018-11), or 12 June 2018, a day written month first; treated as undated. Write the month " +
            'and year in full ("June 2012") or the day first ("12 June 2018")',
        ],
        [true, expect.stringMatching(/^update opening "Jul 16" on action 1\.2 may be July 2016, .* or 16 July 2018, a day/)],
        [
          true,
          expect.stringMatching(
            /^update opening "Mar 19" on action 1\.3 may be March 2019, .* after the document's date \(2018-11\), or 19 March 2018/,
          ),
        ],
      ]);
      expect(preview.gate).toMatchObject({ passes: false });
      const error = await run({ fileName: `northshire.${format}`, content, planId: 'northshire' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImportError);
      expect(error).toMatchObject({ code: 'import-has-blocking-warnings' });
      expect(await store.count()).toBe(0);
    },
  );

  it.each(FORMATS)(
    "accepted (%s), is dated by its progress column's heading, as an opening that reads two ways otherwise is",
    async (format) => {
      const store = stores.open({}, `column-dated-${format}.db`);
      const content = await render(format, [
        { p: 'Northshire crisis care action plan, updated September 2017' },
        {
          table: [
            ['No.', 'Action', 'Lead', 'Timescale', 'Progress update 15/08/17'],
            row('1.1', 'June 12 staff trained'),
            row('1.2', 'Jun 30 18 met with police'),
          ],
        },
      ]);
      const summary = await importer(store)({ fileName: `northshire.${format}`, content, planId: 'northshire', acceptWarnings: true });
      expect(summary.gate).toMatchObject({ blocking: 2, accepted: true });
      expect(summary.warnings.map((w) => w.code)).not.toContain('undated-update');
      const updates = (await planEvents(store, 'northshire'))
        .filter((e) => e.type === 'ProgressUpdateRecorded')
        .map((e) => [e.effectiveOn.date, (e.data as Update).narrative]);
      // The column's heading says when its updates were written: 15 August 2017, not the document's September.
      expect(updates).toEqual([
        ['2017-08-15', 'June 12 staff trained'],
        ['2017-08-15', 'Jun 30 18 met with police'],
      ]);
    },
  );

  it.each(FORMATS)(
    'does not date a document that states no date of its own (%s) when an update dated beyond doubt is there to date it',
    async (format) => {
      const store = stores.open({}, `undated-document-${format}.db`);
      // "Dec 24" read as December 2024 was the latest update, so it dated the document: its undated facts (1.3's update,
      // a COMPLETE marker) were recorded as of December 2024, seven years after "AUG 2017", and nothing stopped the import.
      const content = await render(format, [
        { p: 'Northshire crisis care action plan' },
        {
          table: [
            HEADER,
            row('1.1', 'AUG 2017 Pilot launched'),
            row('1.2', 'Dec 24 cover arranged over Christmas'),
            row('1.3', 'Staff briefed'),
          ],
        },
      ]);
      const run = importer(store);
      const preview = await run({ fileName: `northshire.${format}`, content, planId: 'northshire', dryRun: true });
      expect(preview.gate).toMatchObject({ passes: false });
      expect(preview.warnings.filter((w) => w.code === 'update-date-ambiguous').map((w) => w.message)).toEqual([
        expect.stringMatching(/^update opening "Dec 24" on action 1\.2 may be December 2024, .* after the document's date \(2017-08\)/),
      ]);
      await run({ fileName: `northshire.${format}`, content, planId: 'northshire', acceptWarnings: true });
      const events = await planEvents(store, 'northshire');
      expect(events.find((e) => e.type === 'PlanRegistered')?.effectiveOn.date).toBe('2017-08');
      expect(events.map((e) => e.effectiveOn.date).filter((date) => date > '2017-08')).toEqual([]);
    },
  );

  it('accepted, is recorded undated with its opening kept, and no longer dates the plan from the year it was read as', async () => {
    const store = stores.open({}, 'accepted.db');
    const content = await render('txt', plan('August 2017', row('1.1', 'June 12 – staff trained'), row('1.2', 'Aug 17 500 leaflets sent')));
    const summary = await importer(store)({ fileName: 'northshire.txt', content, planId: 'northshire', acceptWarnings: true });
    expect(summary.gate).toMatchObject({ blocking: 1, accepted: true });
    const events = await planEvents(store, 'northshire');
    expect(
      events.filter((e) => e.type === 'ProgressUpdateRecorded').map((e) => [e.effectiveOn.date, (e.data as Update).narrative]),
    ).toEqual([
      ['2017-08', 'June 12 – staff trained'],
      ['2017-08', '500 leaflets sent'],
    ]);
    expect(events.find((e) => e.type === 'PlanRegistered')?.effectiveOn.date).toBe('2017-08');
  });
});
