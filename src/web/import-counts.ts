import type { ImportSummary } from '../import/import-plan.ts';
import { FACT_LABELS } from '../import/summary-text.ts';

/** One row of the import page's table of counts: what it is in words, how many the document holds, how many are recorded. */
export interface ImportCountRow {
  kind: string;
  inDocument: number;
  recorded?: number;
}

const sentence = (words: string) => `${words.charAt(0).toUpperCase()}${words.slice(1)}`;

/**
 * The summary's counts in the words the CLI's summary uses ("Progress updates", "Lead changes"), not its field names
 * ("updates", "leadChanges"); glossary terms and organisations are read from the document, not recorded as entries.
 */
export const importCountRows = (summary: Pick<ImportSummary, 'inDocument' | 'recorded'>): ImportCountRow[] => [
  ...FACT_LABELS.map(([key, label]) => ({ kind: sentence(label), inDocument: summary.inDocument[key], recorded: summary.recorded[key] })),
  { kind: 'Glossary terms', inDocument: summary.inDocument.glossaryTerms },
  { kind: 'Organisations named', inDocument: summary.inDocument.organisations },
];
