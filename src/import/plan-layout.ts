import type { Cell } from './cells.ts';
import type { Column } from './columns.ts';
import type { LegendEntry } from './rag-legend.ts';
import type { Row } from './table-rows.ts';

/**
 * A plan's layout once its tables are rows: what the text-export reader and the Word and
 * Excel readers both produce, so one reader (read-plan.ts) turns any of them into a plan.
 * Cells keep numbered lines; `place` says where a line is in the original file ("line 42",
 * "table 2, row 3, cell 4", `sheet "Actions", cell C5`), for warnings and provenance.
 */
export interface Section {
  ref: string;
  title: string;
  line: number;
}

export interface PlanTable {
  columns: Column[];
  /** The line of each header cell, in column order (undefined for a column without a header cell). */
  headerLines: (number | undefined)[];
  section?: Section | undefined;
  /** A heading such as "Recommendation 2" above the table, with its text: the recommendation its actions answer. */
  recommendation?: { ref: string; text: string; line: number } | undefined;
  rows: Row[];
}

export interface PlanLayout {
  /** Text before the first table (and rows above its header): the title, a date, a RAG legend. */
  preamble: Cell[];
  sections: Section[];
  tables: PlanTable[];
  glossary: Cell[];
  /** RAG keys laid out as tables (rag-key-table.ts), each with the lines it was read from: the plan's RAG legend with the preamble's. */
  ragKeys?: { entries: LegendEntry[]; lines: number[] }[];
  /** All the document's text, for expanding acronyms it spells out ("Acute Care Pathway (ACP)"). */
  text: string;
  place: (line: number) => string;
  /** True for text: its line numbers are the file's own, and warnings keep them. */
  lineNumbers: boolean;
}
