import { normaliseSource, readItems } from './cells.ts';
import { ImportError } from './import-error.ts';
import type { PlanLayout } from './plan-layout.ts';
import type { ImportWarning, ParsedDocument } from './plan-document.ts';
import { readPlan } from './read-plan.ts';
import { groupRows } from './table-rows.ts';
import { readLayout } from './text-layout.ts';
import type { TextPlanOptions } from './text-plan-input.ts';

/**
 * Reads a plain-text export of a Word action plan: concordat-style action tables
 * (numbered actions with timescales, leads, outcomes, updates) and recommendation /
 * progress-update tables. A text export keeps cells but not rows, so rows are found
 * here (table-rows.ts); the plan is then read as any other layout is (read-plan.ts).
 * Anything it cannot place is a warning with its line.
 */
export const parseTextPlan = (raw: string, options: TextPlanOptions): ParsedDocument => {
  const warnings: ImportWarning[] = [];
  const lines = normaliseSource(raw, warnings);
  const layout = readLayout(readItems(lines), lines.length, warnings);
  const planLayout: PlanLayout = {
    preamble: layout.preamble,
    sections: layout.sections,
    glossary: layout.glossary,
    text: lines.map((l) => l.text).join('\n'),
    place: (n) => `line ${n}`,
    lineNumbers: true,
    tables: layout.tables.map((table, t) => {
      const rows = groupRows(table.cells, table.columns, warnings);
      const last = rows.at(-1);
      if (t === layout.tables.length - 1 && layout.endsInTable && last && last.cells.at(-1) === undefined && !/\n\s*$/.test(raw))
        throw new ImportError(
          'document-truncated',
          `the file ends in the middle of a table row (it has ${last.cells.filter(Boolean).length} of ${table.columns.length} ` +
            `cells and no final line break): it looks cut short`,
          lines.length,
          422,
        );
      return { columns: table.columns, headerLines: table.headerLines, section: table.section, recommendation: table.recommendation, rows };
    }),
  };
  return readPlan(planLayout, options, warnings);
};
