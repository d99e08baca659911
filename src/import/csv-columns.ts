/**
 * The CSV format's columns, one row per fact (see docs/import-format.md):
 * a `plan` row, then `section`, `recommendation`, `action`, `revision`, `update`,
 * `glossary`, `organisation` and `rag-legend` rows. Columns a row type does not use stay empty.
 */
export const CSV_COLUMNS = [
  'type',
  'ref',
  'about',
  'section',
  'text',
  'timescale',
  'due',
  'led_by',
  'leads',
  'partners',
  'outcomes',
  'recommendations',
  'links',
  'date',
  'rag',
  'status',
  'closed_on',
  'into',
  'note',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];
export type CsvRow = Partial<Record<CsvColumn, string>>;

export const ROW_TYPES = [
  'plan',
  'section',
  'recommendation',
  'action',
  'revision',
  'update',
  'glossary',
  'organisation',
  'rag-legend',
] as const;
export type RowType = (typeof ROW_TYPES)[number];

/** Which columns each row type needs: a CSV whose header lacks one is refused before anything is read. */
export const REQUIRED: Record<RowType, CsvColumn[]> = {
  plan: ['ref', 'text', 'leads', 'date'],
  section: ['ref', 'text'],
  recommendation: ['ref', 'text'],
  action: ['ref', 'text', 'timescale'],
  revision: ['ref', 'timescale'],
  update: ['ref', 'text', 'date'],
  glossary: ['ref', 'text'],
  organisation: ['text'],
  'rag-legend': ['ref', 'text'],
};

/** Lists inside one cell: organisations, refs and aliases are separated by semicolons; outcomes by a blank line. */
export const splitList = (value: string | undefined): string[] =>
  (value ?? '')
    .split(';')
    .map((v) => v.trim())
    .filter(Boolean);
export const splitLines = (value: string | undefined): string[] =>
  (value ?? '')
    .split(/\r?\n\s*\r?\n/)
    .map((v) => v.trim())
    .filter(Boolean);
