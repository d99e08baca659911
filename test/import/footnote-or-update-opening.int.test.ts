import { describe, expect, it } from 'vitest';
import { useSqliteStores } from '../support/sqlite-stores.ts';
import { dataOf, importer, planEvents } from './import-support.ts';
import { wordFile, workbookFile, type MergedCell } from './trust-layouts-support.ts';

/**
 * A bulleted row under a table opening with what an update opens with ("* Q1 2017/18: …", "† June 30 2017 – …") is
 * recorded on the action above, as "* AUG 2017 …" is, instead of being left out of the plan as a footnote: the
 * change that made "June 30 2017" read two ways left such a row to the footnote rule, and a quarter was never read.
 */
const HEADER = ['Ref', 'Action', 'Lead agency', 'By when', 'RAG', 'Progress update'];
const ROW = ['1.1', 'Open a crisis café', 'Northshire CCG', 'Aug 2017', 'Amber', 'Premises found.'];
const files = async (below: string[]) => ({
  'plan.docx': await wordFile([
    'Northshire action plan, position as at 31 August 2017',
    [HEADER, ROW, ...below.map((text): MergedCell[] => [{ text, columns: 6 }])],
  ]),
  'plan.xlsx': await workbookFile(
    [['Northshire action plan, position as at 31 August 2017'], HEADER, ROW, ...below.map((text) => [text])],
    below.map((_, i) => `A${i + 4}:F${i + 4}`),
  ),
});

describe('a bulleted row under a table', () => {
  const stores = useSqliteStores();

  it.each([
    ['a quarter', '* Q1 2017/18: 40 of 60 letters audited'],
    ['a date that reads two ways', '† June 30 2017 – premises signed for'],
  ])('opening with %s is an update of the action above, not a footnote left out', async (_, text) => {
    for (const [fileName, content] of Object.entries(await files([text]))) {
      const store = stores.open({}, `${fileName}.db`);
      const summary = await importer(store)({ fileName, content, planId: 'northshire' });
      expect(summary.warnings.filter((w) => w.code === 'text-outside-plan')).toEqual([]);
      const updates = dataOf<{ narrative: string }>(await planEvents(store, 'northshire'), 'ProgressUpdateRecorded');
      expect(updates.map((u) => u.narrative)).toEqual(['Premises found.', text]);
    }
  });
});
