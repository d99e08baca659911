import { isEmptyCell, type Cell } from '../cells.ts';
import { readHeaderRow } from '../columns.ts';
import type { PlanLayout, PlanTable, Section } from '../plan-layout.ts';
import type { ImportWarning } from '../plan-document.ts';
import { ROW_REF, type Row } from '../table-rows.ts';
import { cellText as sourceCellText, type SourceBlock, type SourceCell, type SourceDocument, type SourceRow } from './source-document.ts';
import { SourceLines } from './source-lines.ts';
import { CONTINUES, isFootnote, RECOMMENDATION_HEADING } from '../layout-words.ts';
import { readKeyRow, readKeyRows } from '../rag-key-table.ts';
import { namesAnotherPlan, secondPlanWarning } from '../second-plan-title.ts';

/**
 * The layout of a Word document or workbook, from its real tables. Unlike a text export,
 * rows and columns are given, so a cell is placed by the grid column it starts in and an
 * unknown column never moves another. What the reader decides is what each row is:
 * - the header: the first row whose cells read as column labels (rows above it, before
 *   the plan's first table, are preamble: a title, a date, a RAG legend);
 * - a section heading ("2. Urgent and Emergency Access to Crisis Care") or a
 *   recommendation heading ("Recommendation 3 …"), as a paragraph or a spanning row;
 * - a continuation: a row with one cell spanning the table, or a paragraph between
 *   tables that reads as an update or a note, belongs to the action above it;
 * - a repeated header row (Word repeats headers across pages) is skipped;
 * - anything else with text is a row of the table.
 */
const SECTION_HEADING = /^(?:section\s+)?(\d{1,2})[.):]?\s+([A-Z].{2,150})$/i;
const GLOSSARY = /^\s*(?:glossary(?:\s+of\s+terms)?|abbreviations|acronyms|definitions)\s*:?\s*$/i;

const width = (rows: SourceRow[]) => Math.max(0, ...rows.flatMap((r) => r.cells.map((c) => c.column + c.span)));

export const readStructuredLayout = (source: SourceDocument, warnings: ImportWarning[]): PlanLayout => {
  const lines = new SourceLines();
  const layout: PlanLayout = { preamble: [], sections: [], tables: [], glossary: [], text: '', place: lines.place, lineNumbers: false };
  let section: Section | undefined;
  let recommendation: PlanTable['recommendation'];
  /** A recommendation heading was read and no table has followed yet: paragraphs are its text. */
  let collectingRecommendation = false;
  let lastRow: Row | undefined;
  let inGlossary = false;

  /** `overTable`: text over a later table or sheet, where a second plan's title would be. */
  const outside = (cell: Cell, why: string, overTable = false) => {
    const first = layout.preamble
      .map(textOf)
      .find((t) => t !== '')
      ?.split('\n')[0];
    if (overTable && !isEmptyCell(cell) && namesAnotherPlan(textOf(cell), first)) {
      warnings.push(secondPlanWarning(textOf(cell), cell.line, first));
      return;
    }
    if (!isEmptyCell(cell))
      warnings.push({ code: 'text-outside-plan', line: cell.line, message: `${why} was not imported: "${textOf(cell).slice(0, 120)}"` });
  };
  const textOf = (cell: Cell) =>
    cell.lines
      .map((l) => l.text.trim())
      .join('\n')
      .trim();

  /** A heading paragraph or spanning row: a section, a recommendation, or neither. */
  const heading = (cell: Cell, next: SourceBlock | SourceRow | undefined): boolean => {
    const text = textOf(cell);
    const rec = RECOMMENDATION_HEADING.exec(text);
    if (rec) {
      recommendation = { ref: rec[1]!, text: rec[2]!.trim(), line: cell.line };
      collectingRecommendation = true;
      lastRow = undefined;
      return true;
    }
    const s = !text.includes('\n') ? SECTION_HEADING.exec(text) : null;
    if (s && !CONTINUES.test(text) && startsSection(s[1]!, next)) {
      section = { ref: s[1]!, title: s[2]!.trim(), line: cell.line };
      layout.sections.push(section);
      lastRow = undefined;
      return true;
    }
    return false;
  };
  /** A section heading is followed by a table, or by rows numbered in that section. */
  const startsSection = (number: string, next: SourceBlock | SourceRow | undefined) => {
    if (!next) return false;
    if ('kind' in next) return next.kind === 'table';
    const first = next.cells.map(sourceCellText).find((t) => t !== '') ?? '';
    return ROW_REF.test(first) ? first.startsWith(`${number}.`) : readHeaderRow(next.cells.map(sourceCellText)) !== undefined;
  };

  /** Takes rows as a RAG key (rag-key-table.ts) when they are one, recording it with their lines. */
  const takeKey = (keyRows: SourceRow[]): boolean => {
    const entries = readKeyRows(keyRows.map(filledTexts));
    if (!entries) return false;
    const keyLines = keyRows.flatMap((r) =>
      r.cells.filter((c) => sourceCellText(c) !== '').map((c) => lines.cell(c.paragraphs, true).line),
    );
    (layout.ragKeys ??= []).push({ entries, lines: keyLines });
    return true;
  };

  const readTable = (allRows: SourceRow[], firstPlanTable: boolean) => {
    // A table, or sheet, that is a RAG key: the plan's legend.
    if (!inGlossary && takeKey(allRows)) return;
    const headerAt = allRows.findIndex((r) => readHeaderRow(gridLabels(r, width(allRows))) !== undefined);
    // A RAG key under the plan's rows, from its first column: the legend, not actions. Not where the first column is
    // the plan's RAG column: a colour there is an action's rating, and a row of it with one other cell filled an action.
    const ratedFirst = headerAt >= 0 && readHeaderRow(gridLabels(allRows[headerAt]!, width(allRows)))![0]?.role === 'rag';
    let keyFrom = allRows.length;
    while (keyFrom - 1 > headerAt && headerAt >= 0 && !ratedFirst && startsKeyRow(allRows[keyFrom - 1]!)) keyFrom--;
    const rows = keyFrom < allRows.length && takeKey(allRows.slice(keyFrom)) ? allRows.slice(0, keyFrom) : allRows;
    const previous = layout.tables.at(-1);
    // Word splits a long table, or a plan gives each section a table without repeating the header:
    // a table as wide as the one before, with no header of its own, goes on with that one's columns.
    const continues = headerAt < 0 && !inGlossary && previous !== undefined && width(rows) === previous.columns.length;
    if (headerAt < 0 && !continues) {
      const cells = rows.flatMap((r) => r.cells.map((c) => lines.cell(c.paragraphs, true)));
      if (inGlossary) layout.glossary.push(...cells);
      else if (firstPlanTable) layout.preamble.push(...cells.filter((c) => !isEmptyCell(c)));
      else
        for (const cell of cells)
          if (!isEmptyCell(cell))
            warnings.push({
              code: 'table-not-read',
              line: cell.line,
              message:
                `a table without a header row the importer recognises (such as No. / Action / Timescale / Led by) was ` +
                `not imported; this cell says "${textOf(cell).slice(0, 120)}"`,
            });
      return;
    }
    const gridWidth = width(rows);
    const header = rows[headerAt];
    const labels = header ? gridLabels(header, gridWidth) : previous!.columns.map((c) => c.label);
    const columns = header ? readHeaderRow(labels)! : previous!.columns;
    const headerCells = header ? gridCells(header, gridWidth).map((c) => (c ? lines.cell(c.paragraphs, true) : undefined)) : [];
    // Rows above the header: the title, date and legend before the plan's first table; headings otherwise.
    for (let r = 0; r < headerAt; r++) {
      const cells = rows[r]!.cells.map((c) => lines.cell(c.paragraphs, true)).filter((c) => !isEmptyCell(c));
      if (cells.length === 1 && heading(cells[0]!, rows[r + 1])) continue;
      if (cells.length === 1 && collectingRecommendation && recommendation) {
        recommendation.text = `${recommendation.text}\n\n${textOf(cells[0]!)}`.trim();
        continue;
      }
      if (firstPlanTable && layout.tables.length === 0) layout.preamble.push(...cells);
      else for (const cell of cells) outside(cell, 'text above the table header', true);
    }
    if (header)
      for (const [i, column] of columns.entries())
        if (column.role === 'unknown' && column.label !== '')
          warnings.push({
            code: 'unknown-column',
            line: headerCells[i]!.line,
            message:
              `the column headed "${column.label}" is not one the importer knows; it is read as a column of its own, ` +
              `so no other column moves, and each of its cells is reported here instead of imported`,
          });
    const table: PlanTable = {
      columns,
      headerLines: headerCells.map((c) => (c && !isEmptyCell(c) ? c.line : undefined)),
      section,
      recommendation: collectingRecommendation || recommendation ? recommendation : undefined,
      rows: [],
    };
    collectingRecommendation = false;
    layout.tables.push(table);
    let current = table;
    const headerText = labels.join('\u0000');
    const carried: (Cell | undefined)[] = [];
    for (let r = headerAt + 1; r < rows.length; r++) {
      const row = rows[r]!;
      const texts = gridLabels(row, gridWidth);
      if (texts.join('\u0000') === headerText) continue; // the header again, repeated on a new page
      const filled = row.cells.filter((c) => sourceCellText(c) !== '');
      if (filled.length === 0) continue;
      const grid = gridCells(row, gridWidth);
      const only = filled.length === 1 ? filled[0]! : undefined;
      const role = only ? columns[columnOf(grid, only)]?.role : undefined;
      if (only && (only.span >= 2 || row.cells.length === 1 || (role !== 'action' && role !== 'recommendation'))) {
        const cell = lines.cell(only.paragraphs, true);
        if (heading(cell, rows[r + 1])) {
          // A heading row inside a table starts a new stretch of it, under the new section or recommendation.
          current = { ...table, section, recommendation, rows: [] };
          layout.tables.push(current);
          continue;
        }
        if (collectingRecommendation && recommendation) recommendation.text = `${recommendation.text}\n\n${textOf(cell)}`.trim();
        else if (isFootnote(textOf(cell))) outside(cell, 'a footnote');
        else if (lastRow) (lastRow.continuation ??= []).push(cell);
        else outside(cell, 'a row that spans the table before its first action');
        continue;
      }
      const cells = columns.map((_, c) => {
        const source = grid[c];
        if (source?.mergedFromAbove) return carried[c];
        const cell = source ? lines.cell(source.paragraphs, true) : undefined;
        carried[c] = cell;
        return cell;
      });
      for (const extra of row.cells.filter((c) => c.column >= columns.length && sourceCellText(c) !== ''))
        warnings.push({
          code: 'cell-outside-columns',
          line: lines.cell(extra.paragraphs, true).line,
          message: `a cell beyond the table's ${columns.length} headed columns was not imported: "${sourceCellText(extra).slice(0, 120)}"`,
        });
      collectingRecommendation = false;
      // The row is where its own first cell is: a cell merged down from the row above is that row's.
      const anchor = cells.find((c, i) => c && !isEmptyCell(c) && !grid[i]?.mergedFromAbove) ?? cells.find((c) => c && !isEmptyCell(c));
      lastRow = { cells, line: anchor?.line ?? 0, unnumbered: false };
      current.rows.push(lastRow);
    }
  };

  const blocks = source.blocks;
  for (let b = 0; b < blocks.length; b++) {
    const block = blocks[b]!;
    if (block.kind === 'table') {
      readTable(block.rows, layout.tables.length === 0);
      continue;
    }
    const cell = lines.cell([block.paragraph], false);
    const text = textOf(cell);
    if (GLOSSARY.test(text)) {
      inGlossary = true;
      lastRow = undefined;
      continue;
    }
    if (inGlossary) {
      layout.glossary.push(cell);
      continue;
    }
    if (heading(cell, blocks[b + 1])) continue;
    if (collectingRecommendation && recommendation) {
      recommendation.text = `${recommendation.text}\n\n${text}`.trim();
      continue;
    }
    if (layout.tables.length === 0) layout.preamble.push(cell);
    else if (lastRow && CONTINUES.test(text) && !isFootnote(text)) (lastRow.continuation ??= []).push(cell);
    else outside(cell, "text between the plan's tables", true);
  }
  layout.text = lines.text();
  return layout;
};

/** The cell that starts in each grid column of a row (a cell spanning columns is in its first). */
const gridCells = (row: SourceRow, gridWidth: number): (SourceCell | undefined)[] => {
  const out: (SourceCell | undefined)[] = Array.from({ length: gridWidth }, () => undefined);
  for (const cell of row.cells) if (cell.column < gridWidth) out[cell.column] = cell;
  return out;
};
const gridLabels = (row: SourceRow, gridWidth: number) => gridCells(row, gridWidth).map((c) => (c ? sourceCellText(c) : ''));
const columnOf = (grid: (SourceCell | undefined)[], cell: SourceCell) => grid.indexOf(cell);
const filledTexts = (row: SourceRow) => row.cells.map(sourceCellText).filter((t) => t !== '');
/** An empty row, or a row of a RAG key starting in the table's first column. */
const startsKeyRow = (row: SourceRow) => {
  const texts = filledTexts(row);
  return texts.length === 0 || (row.cells.find((c) => sourceCellText(c) !== '')!.column === 0 && readKeyRow(texts) !== undefined);
};
