import { parseDocument } from '../../src/import/parse-document.ts';
import { loadOrganisationDirectory } from '../../src/organisations/organisation-directory.ts';
import { shippedAliasFile } from '../../src/organisations/organisation-aliases.ts';
import { render, type FixtureBlock, type FixtureFormat } from './fixtures/plan-fixtures.ts';

const directory = loadOrganisationDirectory([shippedAliasFile]);

/** A fixture rendered in one format and read back by the importer's own reader, as `ledger import --dry-run` reads it. */
export const readFixture = async (format: FixtureFormat, blocks: FixtureBlock[], options: { effectiveOn?: string } = {}) =>
  parseDocument({ fileName: `plan.${format}`, content: await render(format, blocks), ...options }, { directory });

/** The place of the cell in row `row` (1-based, the header being row 1), column `column` (1-based), of table `table`. */
export const cellPlace = (format: FixtureFormat, table: number, row: number, column: number, rowsAbove = 0): string =>
  format === 'docx'
    ? `table ${table}, row ${row}, cell ${column}`
    : `sheet "Table ${table}", cell ${String.fromCharCode(64 + column)}${row + rowsAbove}`;

/** Facts a reader should agree on in every format: no places, which differ by format. */
export const factsOf = (document: Awaited<ReturnType<typeof readFixture>>['document']) => ({
  actions: document.actions.map(({ location: _l, revisions, closure, ...a }) => ({
    ...a,
    revisions: revisions.map(({ location: _r, ...r }) => r),
    ...(closure ? { closure: (({ location: _c, ...c }) => c)(closure) } : {}),
  })),
  updates: document.updates.map(({ location: _l, ...u }) => u),
  recommendations: document.recommendations.map(({ location: _l, ...r }) => r),
});
