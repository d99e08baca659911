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
/** Held while a process folds the views from their checkpoints or from nothing (a rebuild, a start's catch-up). */
const foldingFile = (readStoreFile: string) => path.join(`${readStoreFile}.held`, 'folding');

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

/** Errors of a file system that makes no hard links (FUSE mounts answer ENOSYS). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/**
 * Puts the file made aside under its name: false when another process's file is there first.
 * A rename, where the file system makes no hard links, replaces a file another process made
 * meanwhile; that process's next look finds the inode changed and holds this one too
 * (release-guard.ts).
 */
const putInPlace = (aside: string, file: string): boolean => {
  try {
    fs.linkSync(aside, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return false;
    if (!NO_HARD_LINKS.has(code)) throw error;
    fs.renameSync(aside, file);
    return true;
  }
};

/**
 * Holds the lock saying this process folds `projection` at `version`. A new file is locked
 * before it appears under its name (made aside, then linked or renamed in), so no one finds it
 * unlocked; one already there (another instance of the release holds it too) is locked as it is.
 */
export const holdViews = (readStoreFile: string, projection: string, version: number): HeldViews =>
  holdLockFile(heldFile(readStoreFile, projection, version));

/**
 * Holds the lock saying this process is folding a backlog into the views (a rebuild, or a catch-up
 * from the checkpoints): a following runner elsewhere leaves the store to it rather than fold
 * beside it (runner.ts), and folds again once no one holds it, however the fold ended.
 */
const holdFolding = (readStoreFile: string): HeldViews => holdLockFile(foldingFile(readStoreFile));

/** Runs a fold of a backlog holding the folding lock, let go however the fold ends. */
export const whileFolding = async (readStoreFile: string, fold: () => Promise<void>): Promise<void> => {
  const held = holdFolding(readStoreFile);
  try {
    await fold();
  } finally {
    held.release();
  }
};

/** Whether any process (this one included) is folding a backlog into the views. */
export const foldingHeld = (readStoreFile: string): boolean => lockFileHeld(foldingFile(readStoreFile));

const holdLockFile = (file: string): HeldViews => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const held = (db: Database.Database, named: string): HeldViews => {
    try {
      return { inode: inodeOf(named), release: () => db.close() };
    } catch (error) {
      db.close();
      throw error;
    }
  };
  if (!fs.existsSync(file)) {
    const aside = `${file}.${process.pid}.${randomUUID()}`;
    const db = lockShared(aside);
    try {
      const made = held(db, aside);
      if (putInPlace(aside, file)) return made;
      made.release();
    } catch (error) {
      db.close();
      throw error;
    } finally {
      fs.rmSync(aside, { force: true });
    }
  }
  return held(lockShared(file), file);
};

/** The inode of the file for `projection` at `version` under its name now, or undefined when there is none. */
export const viewsFileInode = (readStoreFile: string, projection: string, version: number): bigint | undefined =>
  fs.statSync(heldFile(readStoreFile, projection, version), { bigint: true, throwIfNoEntry: false })?.ino;

/** Whether any process (this one included) holds the lock for `projection` at `version`. */
export const viewsHeld = (readStoreFile: string, projection: string, version: number): boolean =>
  lockFileHeld(heldFile(readStoreFile, projection, version));

const lockFileHeld = (file: string): boolean => {
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
