import type { Database as Db } from 'better-sqlite3';
import type { IntegrityFailure } from '../verify-report.ts';

/**
 * How thoroughly SQLite checks the file itself: `full` is PRAGMA integrity_check (every page,
 * and every index entry against its table row: the one that finds "row missing from index"),
 * `quick` is PRAGMA quick_check (every page and constraint, but no index against its table:
 * O(N) instead of O(N log N), for very large ledgers checked often).
 */
export type StorageCheck = 'full' | 'quick';

/** At most this many of SQLite's findings are quoted; it stops looking after as many. */
const FINDINGS = 10;

/** SQLite's own check of the ledger file: damage in its pages or indexes, in its own words. */
export const checkStorage = (db: Db, mode: StorageCheck, file: string): IntegrityFailure | undefined => {
  const pragma = mode === 'full' ? 'integrity_check' : 'quick_check';
  let findings: string[];
  try {
    findings = (db.pragma(`${pragma}(${FINDINGS})`) as Array<Record<string, string>>).map((row) => Object.values(row)[0]!);
  } catch (error) {
    findings = [(error as Error).message];
  }
  if (findings.length === 1 && findings[0] === 'ok') return undefined;
  return {
    kind: 'storage-damaged',
    message:
      `SQLite's ${pragma} of ${file} reports ` +
      `${findings.length >= FINDINGS ? `at least ${FINDINGS} problems` : `${findings.length} problem(s)`}: ${findings[0]}. ` +
      'The file is damaged, so what else verify says about it may be an effect of that: restore it from a backup and verify the copy',
    expected: 'ok',
    found: findings.join('; '),
  };
};

/** SQLite's own word that the file is damaged, met on any read: damage for verify to report, not a crash. */
export const storageFailureOf = (error: unknown, file: string): IntegrityFailure | undefined => {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^SQLITE_(CORRUPT|NOTADB)/.test(code)) return undefined;
  return {
    kind: 'storage-damaged',
    message: `SQLite cannot read ${file}: ${(error as Error).message}. The file is damaged: restore it from a backup and verify the copy`,
    expected: 'a readable file',
    found: (error as Error).message,
  };
};

/**
 * The guards that keep rows from being changed by accident (a stray sqlite3 shell): they stop
 * no one who means to, but someone who dropped one to edit rows by hand and did not put it
 * back has left a mark. Which exist depends on the schema version the file has reached.
 */
const GUARDS: ReadonlyArray<{ name: string; since: number }> = [
  { name: 'events_append_only_delete', since: 1 },
  { name: 'events_append_only_update', since: 1 },
  { name: 'events_hash_required', since: 2 },
  { name: 'checkpoints_append_only_delete', since: 2 },
  { name: 'checkpoints_append_only_update', since: 2 },
  { name: 'commands_append_only_delete', since: 3 },
  { name: 'commands_append_only_update', since: 3 },
];

export const checkGuards = (db: Db, file: string): IntegrityFailure | undefined => {
  const version = db.pragma('user_version', { simple: true }) as number;
  const present = new Set(
    db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'trigger'")
      .all()
      .map((t) => t.name),
  );
  const missing = GUARDS.filter((g) => g.since <= version && !present.has(g.name)).map((g) => g.name);
  if (missing.length === 0) return undefined;
  return {
    kind: 'schema-altered',
    message:
      `the append-only trigger${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} ` +
      `missing from ${file}: someone dropped ${missing.length > 1 ? 'them' : 'it'}, which is how rows are edited by hand`,
    expected: missing.join(', '),
    found: '(none)',
  };
};
