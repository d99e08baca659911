import { randomUUID } from 'node:crypto';
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

/** Opens `file` and takes SQLite's shared lock on it, kept until the connection closes. */
const lockShared = (file: string): Database.Database => {
  const db = new Database(file, { timeout: 5_000 });
  try {
    // In WAL mode a reader takes no lock on the file itself, and would look free to everyone.
    db.pragma('journal_mode = DELETE');
    db.exec('CREATE TABLE IF NOT EXISTS held (at INTEGER)');
    // A read inside an open transaction keeps the shared lock until the transaction ends.
    db.exec('BEGIN');
    db.prepare('SELECT count(*) FROM held').get();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
};

export interface HeldViews {
  /** The file's inode as held: another at its name (the file removed and made again) is not this process's lock. */
  readonly inode: bigint;
  release(): void;
}

const inodeOf = (file: string) => fs.statSync(file, { bigint: true }).ino;

/**
 * Holds the lock saying this process folds `projection` at `version`. A new file is locked
 * before it appears under its name (made aside, then linked in), so no one finds it unlocked;
 * one already there (another instance of the release holds it too) is locked as it is.
 */
export const holdViews = (readStoreFile: string, projection: string, version: number): HeldViews => {
  const file = heldFile(readStoreFile, projection, version);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!fs.existsSync(file)) {
    const aside = `${file}.${process.pid}.${randomUUID()}`;
    const db = lockShared(aside);
    const inode = inodeOf(aside);
    try {
      fs.linkSync(aside, file);
      return { inode, release: () => db.close() };
    } catch (error) {
      db.close();
      // Another process linked its own in first: that one is locked as it is, below. A file system
      // without hard links: the file is made under its name, as it must be there.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
    } finally {
      fs.rmSync(aside, { force: true });
    }
  }
  const db = lockShared(file);
  return { inode: inodeOf(file), release: () => db.close() };
};

/** The inode of the file for `projection` at `version` under its name now, or undefined when there is none. */
export const viewsFileInode = (readStoreFile: string, projection: string, version: number): bigint | undefined =>
  fs.statSync(heldFile(readStoreFile, projection, version), { bigint: true, throwIfNoEntry: false })?.ino;

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
