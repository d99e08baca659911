import { ImportError } from './import-error.ts';
import type { ImportWarning } from './plan-document.ts';

/**
 * The gate before writing. A warning that means a fact was lost or misplaced — a cell the
 * importer could not place, a column it does not know, a date that does not exist, a
 * closure it could not record — blocks the import unless the user accepts it
 * (`--accept-warnings`, HTTP `acceptWarnings=true`). Informational warnings (Word
 * artefacts, text outside the plan, a date settled by the documented rule, a glossary
 * read but not recorded) never block: the seeds and the demo data raise only those.
 */
const BLOCKING: Record<string, string> = {
  'unknown-column': 'a column the importer does not know: its cells were not imported',
  'csv-unknown-column': 'a CSV column that is not part of the format: its cells were not imported',
  'cell-outside-row': 'a cell that fits no row of its table',
  'cell-outside-columns': 'a cell beyond the headed columns',
  'table-not-read': 'a table without a recognised header row',
  'row-short': 'a row with fewer cells than its header',
  'impossible-date': 'a date that does not exist',
  'timescale-not-understood': 'a timescale that mentions a date the importer cannot read',
  'completion-date-not-understood': 'a completion date the importer cannot read',
  'update-after-document':
    "an update dated after the document's date: its date or the document's is wrong (a cover page not brought up to date?)",
  'update-date-ambiguous': 'an update opening with a date that reads two ways ("Jun 30 18", "June 12" in a plan of 2017)',
  'recommendation-unnumbered': 'an action that cannot be linked to its recommendation',
  'duplicate-number': 'two rows with the same number',
  'unknown-link': 'a reference to an action the plan does not have',
  'merged-without-target': 'an action rated as merged without naming what it merged into',
  'update-on-closed-action': 'a new update on an action the ledger holds closed',
  'revision-on-closed-action': 'a revised deadline on an action the ledger holds closed',
  'older-than-ledger': "a change dated before one the ledger holds of the same action's deadline or leads: an older version of the plan",
  'second-plan-in-file': 'a title over a later table that names a second plan: its actions would be imported into the first',
  'recorded-name-not-kept': "a change of an action's organisations that records a recorded name without its control characters",
};

export const isBlocking = (code: string): boolean => code in BLOCKING;

export interface GateVerdict {
  /** Warnings that mean a fact was lost or misplaced. */
  blocking: number;
  informational: number;
  /** True when the import may write: no blocking warning, or the user accepted them. */
  passes: boolean;
  accepted: boolean;
}

export const judge = (warnings: ImportWarning[], acceptWarnings: boolean): GateVerdict => {
  const blocking = warnings.filter((w) => isBlocking(w.code)).length;
  return {
    blocking,
    informational: warnings.length - blocking,
    passes: blocking === 0 || acceptWarnings,
    accepted: acceptWarnings && blocking > 0,
  };
};

/** Why an import stops at the gate: each blocking warning with its place, what to fix, and the flag that accepts them. */
export const blockedImport = (warnings: ImportWarning[]): ImportError => {
  const blocking = warnings.filter((w) => isBlocking(w.code));
  const kinds = [...new Set(blocking.map((w) => w.code))].map((code) => `${BLOCKING[code]} (${code})`);
  const listed = blocking
    .slice(0, 10)
    .map((w) => `  ${w.location ?? 'in the document'}: ${w.message}`)
    .join('\n');
  const rest = blocking.length > 10 ? `\n  … and ${blocking.length - 10} more (see --dry-run)` : '';
  return new ImportError(
    'import-has-blocking-warnings',
    `${blocking.length} warning${blocking.length === 1 ? '' : 's'} mean${blocking.length === 1 ? 's' : ''} ` +
      `facts would be lost or misplaced: ${kinds.join('; ')}.\n${listed}${rest}\nFix ` +
      `the document (rename an unknown column to one the importer knows, move stray cells into their row, correct ` +
      `impossible dates) and import again, or pass --accept-warnings (HTTP: acceptWarnings=true) to record ` +
      `the rest as it is`,
    undefined,
    422,
    { warnings: blocking },
  );
};
