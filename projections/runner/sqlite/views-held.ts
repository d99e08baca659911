import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * Which releases are folding a read store's views right now. Processes sharing a read store
 * may run different releases (a rolling upgrade, a rollback); one of an older release stands
 * aside for the views of a newer one only while a process of that release is still running,
 * and must learn when none is (its views would otherwise stay frozen until an operator stepped
 * in). A process says it folds a projection at a version by holding a shared lock on a small
 * file named for them (`<read store>.held/<projection>.v<version>`) for as long as it runs; the
 * operating system lets go of the lock when the process ends, however it ends, so no heartbeat
 * is written and nothing is left claiming a dead process. Another process asks by trying for an
 * exclusive lock on the file, at once, and letting it go.
 */
const heldFile = (readStoreFile: string, projection: string, version: number) =>
  path.join(`${readStoreFile}.held`, `${projection}.v${version}`);

/** Holds the lock saying this process folds `projection` at `version`; `release` lets go of it. */
export const holdViews = (readStoreFile: string, projection: string, version: number): { release(): void } => {
  const file = heldFile(readStoreFile, projection, version);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, { timeout: 5_000 });
  // In WAL mode a reader takes no lock on the file itself, and would look free to everyone.
  db.pragma('journal_mode = DELETE');
  db.exec('CREATE TABLE IF NOT EXISTS held (at INTEGER)');
  // A read inside an open transaction keeps SQLite's shared lock on the file until it ends.
  db.exec('BEGIN');
  db.prepare('SELECT count(*) FROM held').get();
  return { release: () => db.close() };
};

/** Whether the file for `projection` at `version` is there (it may have been removed while held). */
export const viewsFileExists = (readStoreFile: string, projection: string, version: number): boolean =>
  fs.existsSync(heldFile(readStoreFile, projection, version));

/** Whether any process (this one included) holds the lock for `projection` at `version`. */
export const viewsHeld = (readStoreFile: string, projection: string, version: number): boolean => {
  const file = heldFile(readStoreFile, projection, version);
  if (!fs.existsSync(file)) return false;
  const db = new Database(file, { timeout: 0, fileMustExist: true });
  try {
    db.exec('BEGIN EXCLUSIVE');
    db.exec('ROLLBACK');
    return false;
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw error;
  } finally {
    db.close();
  }
};
