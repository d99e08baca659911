import fs from 'node:fs';

/**
 * Writes the file whole or not at all: into a file beside it, then renamed over it, so "Nothing
 * was written" stays true of a write that fails part way (a full disk). Says why it failed, or
 * undefined.
 */
export const writeWhole = (file: string, text: string): string | undefined => {
  const aside = `${file}.${process.pid}.partial`;
  try {
    fs.writeFileSync(aside, text, { flag: 'wx' });
    fs.renameSync(aside, file);
    return undefined;
  } catch (error) {
    fs.rmSync(aside, { force: true });
    const { code, message } = error as NodeJS.ErrnoException;
    return code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
      ? 'this process may not write there'
      : code === 'ENOSPC'
        ? 'the disk is full'
        : code === 'ENOENT'
          ? 'no file can be made there'
          : message;
  }
};
