import fs from 'node:fs';
import path from 'node:path';

/** What opening an embedded target makes in its directory: the ledger file and SQLite's files beside it. */
const STORE_FILES = ['ledger.db', 'ledger.db-wal', 'ledger.db-shm', 'ledger.db-journal'];
/** Where the target keeps evidence files: made when the first is copied. Only its empty folders are ever removed. */
const EVIDENCE_DIR = 'evidence';

/** Whether anything is at the path, a link included (one to a volume not mounted is still the operator's). */
const exists = (at: string): boolean | undefined => {
  try {
    fs.lstatSync(at);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? false : undefined;
  }
};

/**
 * The directories making `dir` creates, innermost first: `dir` and each missing parent up to the first that is there.
 * Undefined when it cannot be told (a parent this process may not look at).
 */
const missingChain = (dir: string): string[] | undefined => {
  const chain: string[] = [];
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const there = exists(at);
    if (there === undefined) return undefined;
    if (there) return chain;
    chain.push(at);
    if (at === path.dirname(at)) return undefined;
  }
};

/** fs.rmdirSync that gives way to anything in the directory: another program's file, another copy's target. */
const rmdirIfEmpty = (dir: string): boolean => {
  try {
    fs.rmdirSync(dir);
    return true;
  } catch {
    return false;
  }
};

/**
 * What a copy's target directory held before the copy opened it, so that a copy that carries nothing into it (refused,
 * failed, or stopped before its first append) leaves it as it found it: not an empty `ledger.db` an operator takes for a
 * ledger, nor a directory the copy made. Only what the copy itself makes is removed: the store's own files where there
 * were none, its evidence folder while it holds no file, and the directories it created while they are empty. Anything
 * else in them (another program's file, a sibling copy's target under a parent both made) is left, and so is a target
 * that is a link. A target that holds events afterwards is left: a stopped copy resumes from them
 * (docs/copy.md). Taken after the source is open, so nothing of the source's is ever taken for the copy's.
 */
export const targetAsFound = (dir: string) => {
  const target = path.resolve(dir);
  const made = missingChain(target);
  // Each looked for by name, which needs only the right to search the directory, not to list it. One whose presence
  // cannot be told is taken as there, and left.
  const absent = new Set(
    made === undefined ? [] : [...STORE_FILES, EVIDENCE_DIR].filter((name) => made.length > 0 || exists(path.join(target, name)) === false),
  );
  return {
    /** Removes what the copy made, and nothing else. */
    restore(): void {
      if (made === undefined) return;
      for (const name of STORE_FILES) if (absent.has(name)) fs.rmSync(path.join(target, name), { force: true });
      if (absent.has(EVIDENCE_DIR)) rmdirTree(path.join(target, EVIDENCE_DIR));
      for (const created of made) if (!rmdirIfEmpty(created)) return;
    },
  };
};

/** The evidence folder's empty directories, deepest first: a file in it keeps it. */
const rmdirTree = (dir: string): void => {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) if (entry.isDirectory() && !entry.isSymbolicLink()) rmdirTree(path.join(dir, entry.name));
  rmdirIfEmpty(dir);
};
