import { cellText, isEmptyCell, paragraphs, type Cell, type Item } from './cells.ts';
import { RECOMMENDATION_HEADING } from './layout-words.ts';
import { readHeader, type Column } from './columns.ts';
import type { ImportWarning } from './plan-document.ts';
import { ROW_REF } from './table-rows.ts';
import { namesAnotherPlan, readsAsPlanTitle, secondPlanWarning } from './second-plan-title.ts';

/**
 * The document's layout, before any row is read: text before the first table, the
 * tables (each with its header's columns and the section it sits under), the glossary
 * and whatever follows the plan. Section headings are cells such as "2. Urgent and
 * Emergency Access to Crisis Care" that are followed by a header row or by rows
 * numbered in that section, so a short numbered outcome is never taken for one.
 */
export interface Table {
  columns: Column[];
  /** The line of each header cell, in column order. */
  headerLines: (number | undefined)[];
  section?: { ref: string; title: string; line: number } | undefined;
  recommendation?: { ref: string; text: string; line: number } | undefined;
  cells: Cell[];
}

export interface Layout {
  preamble: Cell[];
  sections: { ref: string; title: string; line: number }[];
  tables: Table[];
  glossary: Cell[];
  /** The file's last text is inside a table: with a short last row and no final newline, the file was cut short. */
  endsInTable: boolean;
}

const SECTION_HEADING = /^(?:section\s+)?(\d{1,2})[.):]?\s+([A-Z].{2,150})$/i;

export const readLayout = (items: Item[], lineCount: number, warnings: ImportWarning[]): Layout => {
  const layout: Layout = { preamble: [], sections: [], tables: [], glossary: [], endsInTable: false };
  const texts = items.map((item) => (item.kind === 'cell' ? cellText(item) : '\u0000'));
  // Header rows are table cells: a title line that happens to say "Update on recommendation actions" is not one.
  const labels = items.map((item, i) => (item.kind === 'cell' && item.inTable ? texts[i]! : '\u0000'));
  let table: Table | undefined;
  let section: Layout['sections'][number] | undefined;
  let recommendation: Table['recommendation'];
  let inGlossary = false;

  const nextNonEmpty = (i: number) => {
    for (let j = i + 1; j < items.length; j++) if (texts[j] !== '') return j;
    return -1;
  };
  const isSectionAt = (i: number, number: string) => {
    const j = nextNonEmpty(i);
    if (j < 0 || items[j]!.kind !== 'cell') return false;
    return readHeader(labels, j) !== undefined || (ROW_REF.test(texts[j]!) && texts[j]!.startsWith(`${number}.`));
  };

  /** True when plan rows (a header, or a numbered row) or a glossary still follow: then a marker line was only text. */
  const planFollows = (i: number, glossaryCounts: boolean) =>
    items
      .slice(i + 1)
      .some(
        (it, k) =>
          (glossaryCounts && it.kind === 'glossary') ||
          (it.kind === 'cell' && it.inTable && (ROW_REF.test(texts[i + 1 + k]!) || readHeader(labels, i + 1 + k) !== undefined)),
      );
  /** A marker that turned out to be text ("Audit report.pdf" in an update) goes back into the cell it interrupted. */
  const asText = (i: number) => {
    const item = items[i]!;
    const previous = items
      .slice(0, i)
      .reverse()
      .find((it) => it.kind === 'cell');
    if (item.kind !== 'cell' && previous?.kind === 'cell') {
      previous.lines.push({ n: item.line, text: item.text });
      if (item.kind === 'recommendation') previous.lines.push(...item.lines);
    }
  };
  /** The next cell after i starts a header row: a recommendation heading is then the table's heading. */
  const headerFollows = (i: number) => {
    const j = items.findIndex((it, k) => k > i && it.kind === 'cell' && texts[k] !== '');
    return j >= 0 && readHeader(labels, j) !== undefined;
  };

  /**
   * In a text export a line outside the tables continues the cell above it, so a second plan's title over its table
   * ends the last cell of the table before: taken out of that cell, and reported as the file's second plan.
   */
  const takeSecondPlanTitle = (i: number) => {
    let k = i - 1;
    while (k >= 0 && (items[k]!.kind !== 'cell' || texts[k] === '')) k--;
    const before = k >= 0 ? items[k] : undefined;
    if (before?.kind !== 'cell') return;
    let last = before.lines.length - 1;
    while (last > 0 && before.lines[last]!.text.trim() === '') last--;
    const title = before.lines[last]!;
    const first = layout.preamble.map((c) => cellText(c).split('\n')[0]!).find((t) => t !== '');
    // Its own paragraph (a blank line above it), never the cell's only text.
    if (last < 2 || before.lines[last - 1]!.text.trim() !== '' || !readsAsPlanTitle(title.text.trim())) return;
    before.lines.splice(last);
    // The plan's own title again over a later part ("… action plan – Part 2") is taken out as well, but is no second plan.
    if (namesAnotherPlan(title.text.trim(), first)) warnings.push(secondPlanWarning(title.text.trim(), title.n, first));
    else
      warnings.push({
        code: 'text-outside-plan',
        line: title.n,
        message: `text above the table header was not imported: "${title.text.trim()}"`,
      });
  };

  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (
      (item.kind === 'other-document' && planFollows(i, true)) ||
      (item.kind === 'glossary' && !inGlossary && planFollows(i, false) && layout.tables.length > 0)
    ) {
      asText(i);
      continue;
    }
    if (item.kind === 'other-document') {
      const last = lineCount;
      warnings.push({
        code: 'trailing-document',
        line: item.line,
        message: `lines ${item.line}–${last}: a separate document ("${item.text}") follows the plan; it was not imported`,
      });
      return layout;
    }
    if (item.kind === 'recommendation') {
      if (inGlossary || !headerFollows(i)) {
        asText(i);
        continue;
      }
      const heading = RECOMMENDATION_HEADING.exec(item.text)!;
      const text = [heading[2]!.trim(), ...paragraphs(item.lines).map((p) => p.text)].filter(Boolean).join('\n\n');
      recommendation = { ref: heading[1]!, text, line: item.line };
      table = undefined;
      continue;
    }
    if (item.kind === 'glossary') {
      inGlossary = true;
      table = undefined;
      continue;
    }
    if (inGlossary) {
      layout.glossary.push(item);
      continue;
    }
    const text = texts[i]!;
    const header = readHeader(labels, i);
    if (header) {
      if (layout.tables.length > 0) takeSecondPlanTitle(i);
      table = { columns: header, headerLines: header.map((_, k) => (items[i + k] as Cell).line), section, recommendation, cells: [] };
      recommendation = undefined;
      layout.tables.push(table);
      header.forEach((column, k) => {
        if (column.role === 'unknown')
          warnings.push({
            code: 'unknown-column',
            line: (items[i + k] as Cell).line,
            message:
              `the column headed "${column.label}" is not one the importer knows; its cells are reported one by one ` +
              `instead of imported`,
          });
      });
      i += header.length - 1;
      continue;
    }
    const heading = !text.includes('\n') ? SECTION_HEADING.exec(text) : null;
    if (heading && isSectionAt(i, heading[1]!)) {
      section = { ref: heading[1]!, title: heading[2]!.trim(), line: item.line };
      layout.sections.push(section);
      if (table) table = { columns: table.columns, headerLines: [], section, cells: [] };
      if (table) layout.tables.push(table);
      continue;
    }
    if (table) table.cells.push(item);
    else if (!isEmptyCell(item)) layout.preamble.push(item);
  }
  layout.endsInTable = table !== undefined && !inGlossary;
  return layout;
};
