import type ExcelJS from 'exceljs';
import { ImportError } from '../import-error.ts';
import type { SourceCell, SourceDocument, SourceRow } from './source-document.ts';

/**
 * Reads a workbook with exceljs (the maintained, MIT-licensed reader of .xlsx; SheetJS's
 * npm releases stopped at a version with known advisories). Every worksheet becomes one
 * table, every row with text a row, and a range merged across columns one cell spanning
 * them, so the layout reader sees a spreadsheet's rows as its author laid them out.
 *
 * A date cell becomes text the date reader understands, at the precision its number
 * format shows: a cell formatted "mmm-yy" says a month ("March 2016"), one formatted
 * "dd/mm/yyyy" a day ("31/03/2016"). Dates typed as text are read as text.
 */
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const dateText = (date: Date, numFmt: string | undefined): string => {
  const month = `${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
  // A format without a day field ("mmm-yy", "mmmm yyyy") shows a month; anything else a day.
  const format = (numFmt ?? '').replace(/"[^"]*"|\[[^\]]*\]/g, '').toLowerCase();
  if (format !== '' && !/d/.test(format) && /m/.test(format) && /y/.test(format)) return month;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${pad(date.getUTCMonth() + 1)}/${date.getUTCFullYear()}`;
};

/** The text a person sees in the cell: rich text joined, a formula's result, a date at its precision. */
const textOf = (cell: ExcelJS.Cell): string => {
  const value = cell.value as unknown;
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return dateText(value, cell.numFmt);
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: string };
    if (v.richText) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return v.result instanceof Date ? dateText(v.result, cell.numFmt) : String(v.result ?? '');
    if (typeof v.text === 'string') return v.text;
    if (v.error) return v.error;
  }
  return String(value);
};

export const readXlsx = async (bytes: Uint8Array, fileName: string): Promise<SourceDocument> => {
  // Loaded when a workbook arrives: exceljs takes a moment to load, and every other ledger command would pay it at start.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
  } catch (error) {
    throw new ImportError('damaged-file', `"${fileName}" cannot be read as an Excel workbook: ${(error as Error).message}`, undefined, 422);
  }
  const blocks: SourceDocument['blocks'] = [];
  workbook.eachSheet((sheet) => {
    const name = sheet.name;
    const where = (address: string) => `sheet "${name}", cell ${address}`;
    const rows: SourceRow[] = [];
    // A range merged across columns is one cell spanning them; the rows below its first are "merged from above".
    const spans = new Map<string, { span: number; top: number; master: string }>();
    for (const range of (sheet.model as { merges?: string[] }).merges ?? []) {
      const [from, to] = range.split(':') as [string, string];
      const a = sheet.getCell(from);
      const b = sheet.getCell(to);
      for (let r = Number(a.row); r <= Number(b.row); r++)
        spans.set(`${r}:${a.col}`, { span: Number(b.col) - Number(a.col) + 1, top: Number(a.row), master: a.address });
    }
    // exceljs works columnCount out from every row each time it is asked: ask once per sheet.
    const columnCount = sheet.columnCount;
    sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const cells: SourceCell[] = [];
      for (let col = 1; col <= columnCount; col++) {
        const cell = row.getCell(col);
        const merged = spans.get(`${rowNumber}:${col}`);
        if (cell.isMerged && !merged) continue; // a later column of a range merged across: covered by its first
        const text = merged && merged.top !== rowNumber ? '' : textOf(cell);
        const lines = text.split(/\r\n|\r|\n/);
        const place = where(cell.address);
        cells.push({
          paragraphs:
            text.trim() === ''
              ? []
              : lines.map((line, i) => ({ text: line.replace(/\s+$/, ''), place: lines.length > 1 ? `${place}, line ${i + 1}` : place })),
          place,
          column: col - 1,
          span: merged?.span ?? 1,
          mergedFromAbove: merged !== undefined && merged.top !== rowNumber,
        });
        if (merged) col += merged.span - 1;
      }
      if (cells.some((c) => c.paragraphs.length > 0)) rows.push({ cells, place: `sheet "${name}", row ${rowNumber}` });
    });
    blocks.push({ kind: 'table', rows, place: `sheet "${name}"`, name });
  });
  return { format: 'xlsx', blocks };
};
