import type { OrganisationDirectory } from '../organisations/organisation-directory.ts';
import { readActionRow, type RawAction } from './action-row.ts';
import type { Column } from './columns.ts';
import { ImportError } from './import-error.ts';
import { readGlossary } from './glossary.ts';
import { splitNumberedItems } from './numbered-items.ts';
import type { PlanLayout, PlanTable } from './plan-layout.ts';
import type { ImportWarning, ParsedDocument } from './plan-document.ts';
import { readPreamble, type Preamble } from './preamble.ts';
import { readRecommendationRow, type RawRecommendation } from './recommendation-row.ts';
import { assembleDocument } from './text-plan-assembly.ts';
import type { TextPlanOptions } from './text-plan-input.ts';

/**
 * A plan from its layout, whichever file it came from: every table's rows read into
 * actions (or, in a table without an action column, recommendations), numbered where the
 * plan does not number them, then the preamble (title, date, RAG legend) and glossary,
 * and the whole assembled into one PlanDocument.
 */
export const readPlan = (layout: PlanLayout, options: TextPlanOptions, warnings: ImportWarning[]): ParsedDocument => {
  const actions: (RawAction & { sectionRef?: string | undefined })[] = [];
  const recommendations: RawRecommendation[] = [];
  if (layout.tables.length === 0)
    throw new ImportError(
      'no-plan-table',
      'no table with a recognised header row (such as No. / Action / Timescale / Led by / Outcomes, or Recommendation ' +
        '/ Progress Update) was found, so there is nothing to import; check the document is an action plan, or ' +
        'use the CSV/JSON format (docs/import-format.md)',
      undefined,
      422,
    );
  for (const table of layout.tables) readTable(table, options.directory, warnings, actions, recommendations);
  const preamble = withRagKeys(readPreamble(layout.preamble, warnings), layout.ragKeys ?? []);
  const glossary = readGlossary(layout.glossary, warnings);
  if (glossary.entries.length > 0)
    warnings.push({
      code: 'glossary-not-recorded',
      line: glossary.entries[0]!.line,
      message:
        `the glossary's ${glossary.entries.length} terms are read (acronyms such as "ACP" are expanded from them, ` +
        `and the organisations they name join the alias table) but the ledger has no event for definitions, so ` +
        `the terms themselves are not recorded`,
    });
  const parsed = assembleDocument(
    {
      raw: layout.text,
      place: layout.place,
      sections: layout.sections,
      actions,
      recommendations,
      glossary,
      tables: layout.tables,
      ...preamble,
    },
    options,
    warnings,
  );
  // Every warning names its place in the original; a Word document or workbook has no lines to number.
  for (const warning of warnings) {
    if (warning.line === undefined) continue;
    warning.location ??= layout.place(warning.line);
    if (!layout.lineNumbers) delete warning.line;
  }
  return parsed;
};

/** The preamble's legend with the RAG keys laid out as tables added (a colour the preamble gives keeps its meaning). */
const withRagKeys = (preamble: Preamble, keys: NonNullable<PlanLayout['ragKeys']>): Preamble => {
  const ragLegend = [...preamble.ragLegend];
  for (const entry of keys.flatMap((k) => k.entries))
    if (!ragLegend.some((known) => known.rating.toLowerCase() === entry.rating.toLowerCase())) ragLegend.push(entry);
  return { ...preamble, ragLegend: ragLegend.slice(0, 10), planLines: [...preamble.planLines, ...keys.flatMap((k) => k.lines)] };
};

/** A numbered column labelled for recommendations ("Rec no.") in a table of actions numbers the recommendation, not the action. */
const rolesFor = (columns: Column[]): Column[] =>
  columns.some((c) => c.role === 'action')
    ? columns.map((c) => (c.role === 'ref' && /^rec/i.test(c.label) ? { ...c, role: 'recommendation' } : c))
    : columns;

const readTable = (
  table: PlanTable,
  directory: OrganisationDirectory,
  warnings: ImportWarning[],
  actions: (RawAction & { sectionRef?: string | undefined })[],
  recommendations: RawRecommendation[],
) => {
  const columns = rolesFor(table.columns);
  const hasActions = columns.some((c) => c.role === 'action');
  // Without a number column, actions are numbered under the recommendation they answer ("3.1", "3.2"); a
  // recommendation cell merged across rows arrives once in a text export, and in every row it spans in a Word
  // table or workbook, so it carries on to the rows below it and only a new recommendation starts again at 1.
  let answering: RawAction['recommendation'] = table.recommendation;
  let count = 0;
  let inOrder = 0;
  for (const row of table.rows.flatMap((r) => splitNumberedItems(r, columns))) {
    if (!hasActions) {
      recommendations.push(readRecommendationRow(row, columns, directory, warnings));
      continue;
    }
    const action = readActionRow(row, columns, directory, warnings);
    if (!action.numbered) {
      if (action.recommendation && action.recommendation.ref !== answering?.ref) [answering, count] = [action.recommendation, 0];
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
    } else if (!action.recommendation && table.recommendation) action.recommendation = table.recommendation;
    actions.push({ ...action, sectionRef: table.section?.ref });
  }
};
