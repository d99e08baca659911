import type { FactCounts } from './fact-counts.ts';
import type { ImportSummary } from './import-plan.ts';

/** What each count of an import is, in words: the CLI's summary and the web's preview name them alike. */
export const FACT_LABELS: [keyof FactCounts, string][] = [
  ['plans', 'plans'],
  ['sections', 'sections'],
  ['recommendations', 'recommendations'],
  ['actions', 'actions'],
  ['updates', 'progress updates'],
  ['revisions', 'deadline revisions'],
  ['completions', 'completions'],
  ['subsumptions', 'subsumptions'],
  ['withdrawals', 'withdrawals'],
  ['links', 'links between actions'],
  ['leadChanges', 'lead changes'],
];

/** The import summary as a person reads it: what the document holds, what this import records, then every warning with its line. */
export const formatSummary = (s: ImportSummary): string => {
  const outcome = s.dryRun ? 'Dry run (nothing written)' : s.replayed ? 'Already imported' : 'Imported';
  const head = `${outcome}: ${s.file} → plan "${s.planId}" (${s.title})\nformat ${s.format}, sha256 ${s.sha256}`;
  const width = Math.max(...FACT_LABELS.map(([, l]) => l.length));
  const rows = FACT_LABELS.map(
    ([key, label]) => `  ${label.padEnd(width)}  ${String(s.inDocument[key]).padStart(6)}  ${String(s.recorded[key]).padStart(8)}`,
  );
  const table = [`  ${''.padEnd(width)}  ${'in doc'.padStart(6)}  ${(s.dryRun ? 'would add' : 'recorded').padStart(8)}`, ...rows].join(
    '\n',
  );
  const held = s.replayed
    ? ' (this file had already been imported: another import of it, at the same moment, recorded the same facts first)'
    : s.events === 0 && !s.dryRun
      ? ' (the ledger already holds everything in this document)'
      : '';
  const extra =
    `  glossary terms: ${s.inDocument.glossaryTerms}, organisations named: ${s.inDocument.organisations}\n` +
    `  events ${s.dryRun ? 'to write' : 'written'}: ${s.events}${held}`;
  const warningLine = (w: (typeof s.warnings)[number]) =>
    `  ${w.blocking ? 'BLOCKING ' : ''}${w.location ?? 'document'}: [${w.code}] ${w.message}`;
  const warnings = s.warnings.length ? `Warnings (${s.warnings.length}):\n${s.warnings.map(warningLine).join('\n')}` : 'Warnings: none';
  return `${head}\n${table}\n${extra}\n${warnings}\n`;
};
