import fs from 'node:fs';
import Database from 'better-sqlite3';

/** The tables that hold the history of the plan lines (projections/history/sqlite/history-store.ts). */
const HISTORY_TABLES = ['history_cursors', 'ledger_line_blocks', 'business_line_blocks', 'line_values'];

/**
 * The read store's size with its history and without, each compacted the same way (VACUUM INTO
 * a copy, then the history's tables dropped from a second copy and vacuumed), so the ratio
 * compares like with like rather than a file with free pages against one without.
 */
export const readStoreSizes = (file: string): { withHistory: number; withoutHistory: number } => {
  const full = `${file}.bench-full`;
  const bare = `${file}.bench-bare`;
  for (const f of [full, bare]) fs.rmSync(f, { force: true });
  const source = new Database(file, { readonly: true });
  try {
    source.prepare('VACUUM INTO ?').run(full);
  } finally {
    source.close();
  }
  fs.copyFileSync(full, bare);
  const db = new Database(bare);
  try {
    for (const table of HISTORY_TABLES) db.exec(`DROP TABLE IF EXISTS ${table}`);
    db.exec('VACUUM');
  } finally {
    db.close();
  }
  const sizes = { withHistory: fs.statSync(full).size, withoutHistory: fs.statSync(bare).size };
  for (const f of [full, bare]) fs.rmSync(f, { force: true });
  return sizes;
};
