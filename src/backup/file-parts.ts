import fs from 'node:fs';
import path from 'node:path';
import { copyFileDurably, filesUnder } from '../files/durable-files.ts';
import type { BackupPart } from './port.ts';

/**
 * A file of the data directory that is replaced whole (written to a temporary file and
 * renamed over), so a plain copy is always one version of it: the kept checkpoint, the learned
 * organisation aliases. Absent: nothing to copy.
 */
export const wholeFilePart = (name: string, dataDir: string, relative: string): BackupPart => {
  const source = path.join(dataDir, relative);
  return {
    name,
    estimateBytes: async () => (fs.existsSync(source) ? fs.statSync(source).size : 0),
    copyInto: async (dataCopyDir) => {
      if (!fs.existsSync(source)) return [];
      copyFileDurably(source, path.join(dataCopyDir, relative));
      return [relative];
    },
  };
};

/**
 * A folder of files that are written once and never changed (archived access-log segments,
 * evidence files): each file is copied as it is; a file added while the copy runs may or may
 * not be in it, like any write after the backup started.
 */
export const immutableFilesPart = (name: string, dataDir: string, relativeDir: string): BackupPart => {
  const source = path.join(dataDir, relativeDir);
  return {
    name,
    estimateBytes: async () => filesUnder(source).reduce((sum, file) => sum + fs.statSync(path.join(source, file)).size, 0),
    copyInto: async (dataCopyDir) =>
      filesUnder(source)
        // A file still being written is named *.tmp until it is renamed into place: not yet part of the folder.
        .filter((file) => !file.endsWith('.tmp'))
        .map((file) => {
          copyFileDurably(path.join(source, file), path.join(dataCopyDir, relativeDir, file));
          return `${relativeDir}/${file}`;
        }),
  };
};
