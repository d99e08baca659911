import { readActionRow, type RawAction } from './action-row.ts';
import { cellText, normaliseSource, readItems } from './cells.ts';
import { findDate } from './dates.ts';
import { readGlossary } from './glossary.ts';
import type { ImportWarning, ParsedDocument } from './plan-document.ts';
import { readRecommendationRow, type RawRecommendation } from './recommendation-row.ts';
import { groupRows } from './table-rows.ts';
import { readLayout } from './text-layout.ts';
import { assembleDocument } from './text-plan-assembly.ts';
import { ImportError } from './import-error.ts';
import type { TextPlanOptions } from './text-plan-input.ts';

const RAG_LEGEND = /^(red|amber|green|blue|grey|gray|black|purple|white|amber\/green|red\/amber|[RAGB])\s*[=:\-–]\s*(.+)$/i;

/**
 * Reads a plain-text export of a Word action plan: concordat-style action tables
 * (numbered actions with timescales, leads, outcomes, updates) and recommendation /
 * progress-update tables. Anything it cannot place is a warning with its line.
 */
export const parseTextPlan = (raw: string, options: TextPlanOptions): ParsedDocument => {
  const warnings: ImportWarning[] = [];
  const lines = normaliseSource(raw, warnings);
  const layout = readLayout(readItems(lines), lines.length, warnings);

  const actions: (RawAction & { sectionRef?: string | undefined })[] = [];
  const recommendations: RawRecommendation[] = [];
  for (const [t, table] of layout.tables.entries()) {
    const rows = groupRows(table.cells, table.columns, warnings);
    const last = rows.at(-1);
    if (t === layout.tables.length - 1 && layout.endsInTable && last && last.cells.at(-1) === undefined && !/\n\s*$/.test(raw))
      throw new ImportError(
        'document-truncated',
        `the file ends in the middle of a table row (it has ${last.cells.filter(Boolean).length} of ` +
          `${table.columns.length} cells and no final line break): it looks cut short`,
        lines.length,
        422,
      );
    const hasActions = table.columns.some((c) => c.role === 'action');
    // Without a number column, actions are numbered under the recommendation they answer ("3.1", "3.2"); a
    // recommendation cell merged across rows arrives once, so it carries on to the rows below it.
    let answering: RawAction['recommendation'];
    let count = 0;
    let inOrder = 0;
    for (const row of rows) {
      if (!hasActions) {
        recommendations.push(readRecommendationRow(row, table.columns, options.directory, warnings));
        continue;
      }
      const action = readActionRow(row, table.columns, options.directory, warnings);
      if (!action.numbered) {
        if (action.recommendation) [answering, count] = [action.recommendation, 0];
        if (answering && !action.ref) [action.ref, action.recommendation] = [`${answering.ref}.${++count}`, answering];
        // Neither a number column nor a recommendation to number by: number the rows in order within the section.
        if (!answering && !action.ref) {
          action.ref = `${table.section ? `${table.section.ref}.` : ''}${++inOrder}`;
          if (inOrder === 1)
            warnings.push({
              code: 'table-unnumbered',
              line: action.line,
              message: `this table has no number column; its actions are numbered in order (${action.ref}, …)`,
            });
        }
      }
      actions.push({ ...action, sectionRef: table.section?.ref });
    }
  }
  if (layout.tables.length === 0)
    warnings.push({
      code: 'no-table',
      message:
        'no table with a recognised header row (such as No. / Action / Timescale / Led by / Outcomes, or ' +
        'Recommendation / Progress Update) was found',
    });

  // Before the tables: a title, perhaps a date, perhaps a RAG legend. The rest is reported.
  let title: string | undefined;
  let documentDate: string | undefined;
  const ragLegend: { rating: string; meaning: string }[] = [];
  for (const cell of layout.preamble) {
    for (const line of cellText(cell).split('\n')) {
      const legend = RAG_LEGEND.exec(line.trim());
      if (legend) ragLegend.push({ rating: legend[1]!, meaning: legend[2]!.trim() });
      else if (title === undefined) {
        title = line.trim();
        const date = findDate(title);
        if (date?.kind === 'date') documentDate = date.date;
      } else if (line.trim())
        warnings.push({
          code: 'preamble-not-imported',
          line: cell.line,
          message: `text before the plan's first table was not imported: "${line.trim().slice(0, 120)}"`,
        });
    }
  }
  const glossary = readGlossary(layout.glossary, warnings);
  if (glossary.entries.length > 0)
    warnings.push({
      code: 'glossary-not-recorded',
      line: glossary.entries[0]!.line,
      message:
        `the glossary's ${glossary.entries.length} terms are read (acronyms such as "ACP" are expanded from ` +
        `them, and the organisations they name join the alias table) but the ledger has no event for definitions, so ` +
        `the terms themselves are not recorded`,
    });
  return assembleDocument(
    {
      raw: lines.map((l) => l.text).join('\n'),
      sections: layout.sections,
      actions,
      recommendations,
      glossary,
      title,
      documentDate,
      ragLegend,
    },
    options,
    warnings,
  );
};
