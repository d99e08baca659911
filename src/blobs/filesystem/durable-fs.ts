import fs from 'node:fs/promises';

/** Flushes a directory's entries (a rename or unlink in it) to disk: without it a crash can undo them. */
export const syncDirectory = async (dir: string): Promise<void> => {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
};

/** Creates a directory if it is missing; when it was created, its parent is flushed so the new entry survives a crash. */
export const ensureDirectory = async (dir: string, parent: string): Promise<void> => {
  try {
    await fs.mkdir(dir, { mode: 0o750 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw error;
  }
  await syncDirectory(parent);
};

export const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === 'ENOENT';

/** The entries of a directory, or none when it does not exist. */
export const entriesOf = async (dir: string): Promise<string[]> => {
  try {
    return await fs.readdir(dir);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
};
