import { describe, expect, it } from 'vitest';
import { useSqliteStores } from '../support/sqlite-stores.ts';
import { FORMATS, render, type FixtureBlock } from './fixtures/plan-fixtures.ts';
import { importer, planEvents } from './import-support.ts';

/**
 * An update opening with the month, its day, a comma and a year written without the space ("June 30,2018 – …") is that
 * day, as "June 30, 2018" is; with a two-digit figure after the comma ("June 30, 18 – …") it reads two ways, as
 * "Jun 30 18" does. Each was read as June 2030, the figure left in the narrative.
 */
const HEADER = ['No.', 'Action', 'Lead', 'Timescale', 'Progress update'];
const row = (ref: string, update: string) => [ref, `Action ${ref}`, 'Northshire ICB', 'December 2018', update];
const plan = (...rows: string[][]): FixtureBlock[] => [
  { p: 'Northshire crisis care action plan, position as at 30 November 2018' },
  { table: [HEADER, ...rows] },
];

describe('an update opening with the month, its day and a comma', () => {
  const stores = useSqliteStores();

  it.each(FORMATS)('and the year without a space is that day (%s)', async (format) => {
    const store = stores.open({}, `comma-${format}.db`);
    const content = await render(format, plan(row('1.1', 'June 30,2018 – met with police to agree the protocol')));
    const summary = await importer(store)({ fileName: `northshire.${format}`, content, planId: 'northshire' });
    expect(summary.gate).toMatchObject({ blocking: 0, passes: true });
    const updates = (await planEvents(store, 'northshire'))
      .filter((e) => e.type === 'ProgressUpdateRecorded')
      .map((e) => [e.effectiveOn.date, (e.data as { narrative: string }).narrative]);
    expect(updates).toEqual([['2018-06-30', 'met with police to agree the protocol']]);
  });

  it.each(FORMATS)('and a two-digit figure reads two ways: it stops at the gate (%s)', async (format) => {
    const store = stores.open({}, `two-way-${format}.db`);
    const content = await render(format, plan(row('1.1', 'June 30, 18 – met with police'), row('1.2', 'Aug 17, 20 leaflets sent')));
    const preview = await importer(store)({ fileName: `northshire.${format}`, content, planId: 'northshire', dryRun: true });
    expect(preview.warnings.filter((w) => w.code === 'update-date-ambiguous').map((w) => w.message)).toEqual([
      expect.stringMatching(/^update opening "June 30, 18" may be/),
      expect.stringMatching(/^update opening "Aug 17, 20" may be/),
    ]);
    expect(preview.gate).toMatchObject({ passes: false });
  });
});
