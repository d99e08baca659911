import { describe, expect, it } from 'vitest';
import { ImportError } from '../../src/import/import-error.ts';
import { useSqliteStores } from '../support/sqlite-stores.ts';
import { render, type FixtureBlock, type FixtureFormat } from './fixtures/plan-fixtures.ts';
import { importer } from './import-support.ts';

/**
 * Two plans in one file: a trust's crisis care action plan and a serious-incident action plan, each with its own title
 * over its own table (in a workbook, each on its own sheet). The second plan's actions are numbered on from the first's,
 * so nothing else gives it away: imported as they are, they would be recorded as one plan under the first's title.
 */
const HEADER = ['No.', 'Action', 'Lead', 'Timescale'];
const TWO_PLANS: FixtureBlock[] = [
  { p: 'Northshire Crisis Care Concordat action plan, updated March 2019' },
  {
    table: [
      HEADER,
      ['1.1', 'Open a crisis café', 'Northshire ICB', 'March 2019'],
      ['1.2', 'Train front-desk staff', 'Northshire ICB', 'June 2019'],
    ],
  },
  { p: 'Serious incident 2018/1234 action plan' },
  {
    table: [
      HEADER,
      ['2.1', 'Audit crisis plans', 'Northshire Trust', 'May 2019'],
      ['2.2', 'Share the learning', 'Northshire Trust', 'June 2019'],
    ],
  },
];

/** One plan whose note between its tables mentions the plan, and whose title is repeated over its continuation: no second plan. */
const ONE_PLAN: FixtureBlock[] = [
  { p: 'Northshire Crisis Care Concordat action plan, updated March 2019' },
  { table: [HEADER, ['1.1', 'Open a crisis café', 'Northshire ICB', 'March 2019']] },
  { p: 'This action plan is reviewed by the Crisis Care Board every quarter.' },
  { table: [HEADER, ['2.1', 'Audit crisis plans', 'Northshire Trust', 'May 2019']] },
  { p: 'Northshire Crisis Care Concordat action plan (continued)' },
  { table: [HEADER, ['3.1', 'Review the section 136 suite', 'Northshire Police', 'July 2019']] },
  { p: 'Northshire Crisis Care Concordat action plan' },
  { table: [HEADER, ['4.1', 'Publish the crisis line number', 'Northshire ICB', 'August 2019']] },
];

describe('a file holding two plans', () => {
  const stores = useSqliteStores();

  it.each(['docx', 'xlsx', 'txt'] as FixtureFormat[])(
    'is refused (%s), naming both plans and how to split them, and writing nothing',
    async (format) => {
      const store = stores.open({}, `two-${format}.db`);
      const error = await importer(store)({ fileName: `plans.${format}`, content: await render(format, TWO_PLANS) }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ImportError);
      expect(error).toMatchObject({ code: 'import-has-blocking-warnings' });
      const message = (error as Error).message;
      expect(message).toContain('"Serious incident 2018/1234 action plan"');
      expect(message).toContain('"Northshire Crisis Care Concordat action plan, updated March 2019"');
      expect(message).toMatch(/file of its own/);
      expect(await store.count()).toBe(0);
    },
  );

  it.each(['docx', 'xlsx', 'txt'] as FixtureFormat[])(
    "is not suspected (%s) from a note between tables that mentions the plan, nor from the plan's title over its continuation",
    async (format) => {
      const store = stores.open({}, `one-${format}.db`);
      const summary = await importer(store)({ fileName: `plan.${format}`, content: await render(format, ONE_PLAN), planId: 'northshire' });
      expect(summary.gate).toMatchObject({ blocking: 0 });
      expect(summary.warnings.map((w) => w.code)).not.toContain('second-plan-in-file');
    },
  );

  /**
   * The same plan's title again over a later part, with a part, a year or another date after it, and headings that name
   * no plan of their own: no second plan, though each is short, one line and says "action plan".
   */
  const SAME_PLAN: FixtureBlock[] = [
    { p: 'Northshire Crisis Care Concordat action plan, updated March 2019' },
    { table: [HEADER, ['1.1', 'Open a crisis café', 'Northshire ICB', 'March 2019']] },
    { p: 'Northshire Crisis Care Concordat action plan – Part 2' },
    { table: [HEADER, ['2.1', 'Audit crisis plans', 'Northshire Trust', 'May 2019']] },
    { p: 'Northshire Crisis Care Concordat action plan 2018/19' },
    { table: [HEADER, ['3.1', 'Review the section 136 suite', 'Northshire Police', 'July 2019']] },
    { p: 'Updated action plan' },
    { table: [HEADER, ['4.1', 'Publish the crisis line number', 'Northshire ICB', 'August 2019']] },
  ];

  it.each(['docx', 'xlsx', 'txt'] as FixtureFormat[])(
    "is not suspected (%s) from the plan's own title with a part or a year after it, nor from a heading naming no plan",
    async (format) => {
      const store = stores.open({}, `same-${format}.db`);
      const summary = await importer(store)({ fileName: `plan.${format}`, content: await render(format, SAME_PLAN), planId: 'northshire' });
      expect(summary.warnings.filter((w) => w.code === 'second-plan-in-file')).toEqual([]);
    },
  );

  /** Headings over numbered parts of the same plan, each with "action plan" in its words, then a real second plan. */
  const SECTIONS_THEN_SECOND: FixtureBlock[] = [
    { p: 'Northshire Crisis Care Concordat action plan, updated March 2019' },
    { table: [HEADER, ['1.1', 'Open a crisis café', 'Northshire ICB', 'March 2019']] },
    { p: 'Section 2 – Improving crisis care: action plan' },
    { table: [HEADER, ['2.1', 'Audit crisis plans', 'Northshire Trust', 'May 2019']] },
    { p: 'Part 3: Recovery and staying well action plan' },
    { table: [HEADER, ['3.1', 'Review the section 136 suite', 'Northshire Police', 'July 2019']] },
    { p: '4. Children and young people action plan' },
    { table: [HEADER, ['4.1', 'Publish the crisis line number', 'Northshire ICB', 'August 2019']] },
    { p: 'Serious incident 2018/1234 action plan' },
    { table: [HEADER, ['5.1', 'Share the learning', 'Northshire Trust', 'June 2019']] },
  ];

  it.each(['docx', 'xlsx', 'txt'] as FixtureFormat[])(
    "is not suspected (%s) from a numbered section's heading of the same plan, and is still found from a second plan's title after it",
    async (format) => {
      const store = stores.open({}, `sections-${format}.db`);
      const run = importer(store);
      const content = await render(format, SECTIONS_THEN_SECOND);
      const preview = await run({ fileName: `plan.${format}`, content, planId: 'northshire', dryRun: true });
      expect(preview.warnings.filter((w) => w.code === 'second-plan-in-file').map((w) => w.message)).toEqual([
        expect.stringMatching(/^"Serious incident 2018\/1234 action plan" reads as the title of a second plan/),
      ]);
      const withoutSecond = await render(format, SECTIONS_THEN_SECOND.slice(0, -2));
      const summary = await run({ fileName: `plan.${format}`, content: withoutSecond, planId: 'northshire' });
      expect(summary.gate).toMatchObject({ blocking: 0, passes: true });
      expect(summary.recorded.actions).toBe(4);
    },
  );

  it.each(['docx', 'txt'] as FixtureFormat[])(
    'is not suspected (%s) from a heading over the completed actions, nor (docx) from one over the RAG key table',
    async (format) => {
      const store = stores.open({}, `key-${format}.db`);
      const blocks: FixtureBlock[] = [
        { p: 'Northshire Crisis Care Concordat action plan, updated March 2019' },
        { table: [HEADER, ['1.1', 'Open a crisis café', 'Northshire ICB', 'March 2019']] },
        { p: 'Completed actions (moved from the action plan)' },
        { table: [HEADER, ['2.1', 'Audit crisis plans', 'Northshire Trust', 'May 2019']] },
        ...(format === 'docx'
          ? [
              { p: 'Key to action plan RAG ratings' },
              {
                table: [
                  ['Green', 'Complete'],
                  ['Amber', 'On track'],
                  ['Red', 'Off track'],
                ],
              },
            ]
          : []),
      ];
      const summary = await importer(store)({ fileName: `plan.${format}`, content: await render(format, blocks), planId: 'northshire' });
      expect(summary.warnings.filter((w) => w.code === 'second-plan-in-file')).toEqual([]);
    },
  );
});
