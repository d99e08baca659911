import type { Cell } from './cells.ts';
import { findDocumentDate } from './document-date.ts';
import type { ImportWarning } from './plan-document.ts';
import { readLegendLine, type LegendEntry } from './rag-legend.ts';

/**
 * Before the plan's first table: its title, perhaps the date it speaks as of ("Updated
 * March 2016"), perhaps a RAG legend. What is none of these is reported, with its place,
 * as text outside the plan; it is not part of any fact.
 */
export interface Preamble {
  title?: string | undefined;
  /** The lines the plan itself was read from: its title, date and legend. */
  planLines: number[];
  documentDate?: string | undefined;
  ragLegend: LegendEntry[];
}

export const readPreamble = (cells: Cell[], warnings: ImportWarning[]): Preamble => {
  const lines = cells.flatMap((cell) =>
    cell.lines.filter((l) => l.text.trim() !== '').map((l) => ({ text: l.text.trim().replace(/\s+/g, ' '), line: l.n })),
  );
  const ragLegend: LegendEntry[] = [];
  const planLines: number[] = [];
  const rest: { text: string; line: number }[] = [];
  for (const line of lines) {
    const legend = readLegendLine(line.text);
    if (legend) {
      ragLegend.push(...legend.filter((e) => !ragLegend.some((known) => known.rating === e.rating)));
      planLines.push(line.line);
    } else rest.push(line);
  }
  const title = rest[0];
  const date = findDocumentDate(rest, title?.line);
  if (date?.impossible)
    warnings.push({
      code: 'impossible-date',
      line: date.line,
      message: `the document's date "${date.impossible}" is not a real date; it was not used to date anything`,
    });
  if (title) planLines.push(title.line);
  if (date?.date !== undefined && date.line !== title?.line) planLines.push(date.line);
  for (const line of rest)
    if (line !== title && line.line !== date?.line)
      warnings.push({
        code: 'preamble-not-imported',
        line: line.line,
        message: `text before the plan's first table was not imported: "${line.text.slice(0, 120)}"`,
      });
  return { title: title?.text, planLines, documentDate: date?.date, ragLegend: ragLegend.slice(0, 10) };
};
