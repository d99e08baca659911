import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Flushes a file's data to disk. */
export const fsyncFile = (file: string): void => {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
};

/** Flushes a directory's entries (a rename or a new file in it), where the platform allows it. */
export const fsyncDir = (dir: string): void => {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some platforms cannot open a directory to flush it; the rename itself is still atomic.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
};

/** Writes a whole file and flushes it, so it is on disk before anything names it. */
export const writeFileDurably = (file: string, content: string | Buffer, mode = 0o644): void => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'wx', mode);
  try {
    fs.writeFileSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
};

/** Copies a file (never over an existing one) and flushes the copy. */
export const copyFileDurably = (from: string, to: string): void => {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to, fs.constants.COPYFILE_EXCL);
  fsyncFile(to);
};

/** SHA-256 of a file, read in chunks so a large database is never held in memory. */
export const sha256OfFile = async (file: string): Promise<string> => {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
};

/** Every file under a directory, as paths relative to it with forward slashes, sorted. */
export const filesUnder = (root: string): string[] => {
  const out: string[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) out.push(child);
    }
  };
  if (fs.existsSync(root)) walk('');
  return out.sort();
};

/** Bytes available to this process on the disk holding `dir` (or its nearest existing parent). */
export const freeBytesAt = (dir: string): number => {
  let probe = path.resolve(dir);
  while (!fs.existsSync(probe)) probe = path.dirname(probe);
  const stats = fs.statfsSync(probe);
  return Number(stats.bavail) * Number(stats.bsize);
};
