import fs from 'node:fs';

/**
 * A file or folder to be left exactly as it is: this process may not write it, or nobody may (`chmod a-w`: root, whom
 * permissions do not stop, is held to the mode, which is what says so).
 */
export const keptReadOnly = (file: string): boolean => {
  try {
    fs.accessSync(file, fs.constants.W_OK);
    return (fs.statSync(file).mode & 0o222) === 0;
  } catch {
    return true;
  }
};

/** What a writer changes in a file: compared before and after a read that took no locks. */
export interface FileState {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}
export const fileState = (file: string): FileState => {
  const s = fs.statSync(file);
  return { size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, ino: s.ino };
};
export const unchangedSince = (file: string, before: FileState): boolean => {
  const now = fileState(file);
  return now.size === before.size && now.mtimeMs === before.mtimeMs && now.ctimeMs === before.ctimeMs && now.ino === before.ino;
};
