import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseSource, readItems } from '../../src/import/cells.ts';
import { ImportError } from '../../src/import/import-error.ts';
import { cellOf } from '../../src/import/preview.ts';
import { readDocx } from '../../src/import/source/docx-reader.ts';
import { openOfficePackage } from '../../src/import/source/office-package.ts';
import { cellText, type SourceDocument } from '../../src/import/source/source-document.ts';
import { readXlsx } from '../../src/import/source/xlsx-reader.ts';
import { FORMATS, render, type FixtureBlock, type FixtureFormat, type FixtureRow } from './fixtures/plan-fixtures.ts';
import { readFixture } from './layout-support.ts';

/**
 * Every cell of a document is accounted for: it is part of a fact in the preview, or a
 * warning names it. Plans are generated at random from the vocabulary real plans use —
 * known and unknown headers in any order, refs, dates (some impossible), status words,
 * leads, narratives, stray text, spanning updates and merge notes, preamble lines — and
 * read in each format; no cell may vanish between the file and the preview.
 */
const HEADERS = [
  'No.',
  'Ref',
  'Action',
  'Key actions',
  'Led by',
  'Owner',
  'Timescale',
  'Deadline',
  'Start',
  'RAG',
  'Status',
  'Progress',
  'Comments',
  'Outcomes',
  'Evidence',
  'Theme',
  'Budget',
  'Notes',
];
const CELLS = [
  '',
  'Open a crisis café',
  'Review the pathway',
  'Anyshire County Council',
  'Dorset Police with Anyshire ICB',
  'March 2016',
  'Q1 2016/17',
  '30 February 2019',
  'Ongoing',
  'Green',
  'Amber',
  'Complete',
  'In progress',
  'Withdrawn',
  'FEB 2016 Premises found.',
  'Budget agreed: £20,000',
  'See 1.2',
  'People get help sooner.',
];
const SPANS = [
  'Update May 2016: the café opened.',
  'This action has been merged into action 1.1.',
  'Note: funding confirmed.',
  '2. Urgent care',
];

const plan = fc
  .record({
    headers: fc.uniqueArray(fc.constantFrom(...HEADERS), { minLength: 2, maxLength: 7 }),
    rows: fc.array(
      fc.record({ cells: fc.array(fc.constantFrom(...CELLS), { minLength: 7, maxLength: 7 }), span: fc.option(fc.constantFrom(...SPANS)) }),
      {
        minLength: 1,
        maxLength: 6,
      },
    ),
    preamble: fc.subarray(
      ['Anyshire action plan', 'Updated March 2016', 'Red = not started, Green = complete', 'Prepared by the partnership'],
      {
        minLength: 1,
      },
    ),
  })
  .map(({ headers, rows, preamble }) => {
    const columns = headers.includes('Action') || headers.includes('Key actions') ? headers : ['Action', ...headers].slice(0, 7);
    const table: FixtureRow[] = [columns];
    rows.forEach((row, i) => {
      table.push(
        columns.map((label, c) =>
          /^(?:No\.|Ref)$/.test(label) ? `1.${i + 1}` : label === 'Action' || label === 'Key actions' ? `Action ${i + 1}` : row.cells[c]!,
        ),
      );
      if (row.span) table.push({ span: row.span });
    });
    return [...preamble.map((p) => ({ p })), { table }] as FixtureBlock[];
  });

/** Every non-empty cell and paragraph of the file, as the source reader sees it. */
const sourceCells = async (format: FixtureFormat, bytes: Buffer): Promise<string[]> => {
  if (format === 'txt')
    return readItems(normaliseSource(bytes.toString('utf8'), [])).flatMap((item) =>
      item.kind === 'cell' && item.lines.some((l) => l.text.trim() !== '') ? [`line ${item.line}`] : [],
    );
  const source: SourceDocument =
    format === 'docx' ? readDocx(openOfficePackage(bytes, 'plan.docx'), 'plan.docx') : await readXlsx(bytes, 'plan.xlsx');
  return source.blocks.flatMap((b) =>
    b.kind === 'paragraph' ? [b.paragraph.place] : b.rows.flatMap((r) => r.cells.filter((c) => cellText(c) !== '').map((c) => c.place)),
  );
};

describe.each(FORMATS)('every cell is accounted for (%s)', (format) => {
  it('is part of a fact in the preview or named by a warning', async () => {
    await fc.assert(
      fc.asyncProperty(plan, async (blocks) => {
        const bytes = await render(format, blocks);
        let parsed;
        try {
          parsed = await readFixture(format, blocks, { effectiveOn: '2016-03' });
        } catch (error) {
          // A refusal accounts for the whole file: nothing is recorded, and the message says why.
          if (error instanceof ImportError) return;
          throw error;
        }
        const { buildPreview } = await import('../../src/import/preview.ts');
        const preview = buildPreview(parsed.document, parsed.sources, []);
        const accounted = new Set([
          ...preview.flatMap((row) => row.cells.map(cellOf)),
          ...parsed.warnings.flatMap((w) => (w.location ? [cellOf(w.location)] : [])),
        ]);
        const missing = (await sourceCells(format, bytes)).map(cellOf).filter((place) => !accounted.has(place));
        expect(missing, `cells neither in a fact nor in a warning: ${missing.join('; ')}`).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });
});
