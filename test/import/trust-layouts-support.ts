import { Document, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import ExcelJS from 'exceljs';

/**
 * Word tables and workbooks with what the plan fixtures do not draw: cells merged down
 * several rows, a title row spanning the table, a footnote row. A cell is its text, or
 * `{ text, rows, columns }` for a cell merged across `rows` rows or `columns` columns.
 */
export type MergedCell = string | { text: string; rows?: number; columns?: number };
export type WordBlock = string | MergedCell[][];

const textOf = (cell: MergedCell) => (typeof cell === 'string' ? cell : cell.text);

export const wordFile = async (blocks: WordBlock[]): Promise<Buffer> =>
  Packer.toBuffer(
    new Document({
      sections: [
        {
          children: blocks.map((block) =>
            typeof block === 'string'
              ? new Paragraph(block)
              : new Table({
                  rows: block.map(
                    (row) =>
                      new TableRow({
                        children: row.map(
                          (cell) =>
                            new TableCell({
                              children: textOf(cell)
                                .split('\n')
                                .map((p) => new Paragraph(p)),
                              ...(typeof cell === 'object' ? { rowSpan: cell.rows, columnSpan: cell.columns } : {}),
                            }),
                        ),
                      }),
                  ),
                }),
          ),
        },
      ],
    }),
  );

/** One sheet; `merges` are Excel ranges ("A3:A4"), whose first cell holds the text. */
export const workbookFile = async (rows: string[][], merges: string[] = []): Promise<Buffer> => {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Action plan');
  for (const row of rows) sheet.addRow(row);
  for (const range of merges) sheet.mergeCells(range);
  return Buffer.from(await workbook.xlsx.writeBuffer());
};

/** Several sheets, in order, each named and given its rows. */
export const workbookSheets = async (sheets: Record<string, string[][]>): Promise<Buffer> => {
  const workbook = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const sheet = workbook.addWorksheet(name);
    for (const row of rows) sheet.addRow(row);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
};
