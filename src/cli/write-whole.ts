import fs from 'node:fs';
import path from 'node:path';

/**
 * Why a file cannot be written at `file`, looked at before any work is done: its folder, and what
 * is there already. A file already there is kept unless `replace` says otherwise (an auditor's
 * earlier record is not lost to a command run again); a device, a pipe or a link is never
 * replaced by a file. Undefined when it can be tried.
 */
export const whyNotWritable = (file: string, replace: boolean): string | undefined => {
  if (file === '') return 'needs a file name';
  // A name ending in a separator names a folder, and path.dirname would drop the separator, checking the folder above.
  if (file.endsWith('/') || file.endsWith(path.sep)) return `ends in ${path.sep}, so it names a folder, not a file; name a file`;
  const folder = path.dirname(path.resolve(file));
  // The folder may be reached through a link (/tmp on some systems is one): followed, as the write will.
  const holder = statIfThere(folder, { follow: true });
  if (!holder) return `the folder ${folder} does not exist`;
  if (!holder.isDirectory()) return `${folder} is a file, not a folder`;
  const existing = statIfThere(file);
  if (existing?.isDirectory()) return 'is a folder; name a file in it';
  if (existing && !existing.isFile()) return 'is not an ordinary file (a device, a pipe or a link); name a new file';
  if (existing && !replace) return 'a file is already there; name a new file, or give --force to replace it';
  // Read-only is how a record is kept from being written over: --force does not undo that.
  if (existing && (existing.mode & 0o222) === 0) return 'is read-only; it is kept, so name a new file (or make it writable first)';
  try {
    fs.accessSync(folder, fs.constants.W_OK);
  } catch {
    return `this process may not write in the folder ${folder}`;
  }
  return undefined;
};

/**
 * Refuses, before any work, a file a command cannot write (whyNotWritable): on stderr, exit 2,
 * nothing written. True when refused.
 */
export const refusedOutput = (command: string, flag: string, file: string, replace: boolean): boolean => {
  const why = whyNotWritable(file, replace);
  if (why === undefined) return false;
  process.stderr.write(`ledger ${command}: ${flag} ${file}: ${why}\nNothing was written.\n`);
  process.exitCode = 2;
  return true;
};

/** The name a file is written under, beside its place, until it is whole. */
export const asideOf = (file: string) => `${file}.${process.pid}.partial`;

/**
 * Writes the file whole or not at all: into a file beside it, then put in its place, so "Nothing
 * was written" stays true of a write that fails part way (a full disk). What whyNotWritable
 * refuses is refused here too (something may have appeared meanwhile), and a file replaced keeps
 * its permissions, so one kept private stays so. Says why it failed, or undefined.
 */
export const writeWhole = (file: string, text: string, replace = false): string | undefined => {
  const refused = whyNotWritable(file, replace);
  if (refused) return refused;
  try {
    fs.writeFileSync(asideOf(file), text, { flag: 'wx' });
  } catch (error) {
    return removeAside(file, error);
  }
  return placeWritten(file, replace);
};

/**
 * Puts a file written whole at `asideOf(file)` in the file's place, as writeWhole does (for a
 * file streamed there, such as an evidence pack); removes it when it cannot. Says why it failed, or undefined.
 */
export const placeWritten = (file: string, replace: boolean): string | undefined => {
  const aside = asideOf(file);
  try {
    const refused = whyNotWritable(file, replace);
    if (refused) throw Object.assign(new Error(refused), { code: 'refused' });
    const existing = replace ? statIfThere(file) : undefined;
    if (existing) {
      // The file replaced keeps its permissions, and its owner where this process may give it (as root).
      fs.chmodSync(aside, existing.mode & 0o7777);
      keepOwner(aside, existing);
      fs.renameSync(aside, file);
    } else placeNew(aside, file);
    return undefined;
  } catch (error) {
    return removeAside(file, error);
  }
};

/** Removes what was written beside the file, and says in words why it could not be put in place. */
export const removeAside = (file: string, error: unknown): string => {
  try {
    fs.rmSync(asideOf(file), { force: true });
  } catch {
    // Nothing was made beside it: the write's own failure says why.
  }
  const { code, message } = error as NodeJS.ErrnoException;
  return code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
    ? 'this process may not write there'
    : code === 'ENOSPC'
      ? 'the disk is full'
      : code === 'ENOENT'
        ? 'no file can be made there'
        : code === 'EEXIST'
          ? 'a file appeared there while it was being made; it is kept: name a new file'
          : message;
};

/**
 * Puts the written file at a name nothing held when it was looked at: by a link, which fails
 * where a file has appeared since (that file is kept), or by a rename where the file system has
 * no links.
 */
const placeNew = (aside: string, file: string) => {
  try {
    fs.linkSync(aside, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
    if (statIfThere(file)) throw Object.assign(new Error('a file appeared'), { code: 'EEXIST' });
    fs.renameSync(aside, file);
    return;
  }
  fs.rmSync(aside);
};

/** Gives the file the owner of the one it replaces, where this process may (root may; others keep their own). */
const keepOwner = (file: string, was: fs.Stats) => {
  try {
    fs.chownSync(file, was.uid, was.gid);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
  }
};

/** The entry itself (a link is not followed unless `follow`), or undefined when nothing is there. */
const statIfThere = (file: string, { follow = false } = {}): fs.Stats | undefined => {
  try {
    return follow ? fs.statSync(file) : fs.lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
};
