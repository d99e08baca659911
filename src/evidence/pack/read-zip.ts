import { createHash } from 'node:crypto';
import yauzl, { type Entry, type ZipFile } from 'yauzl';

/** One entry of a zip as read: its SHA-256 and size, and its bytes when it is one the checks parse. */
export interface ZipEntryRead {
  name: string;
  sha256: string;
  size: number;
  bytes?: Buffer;
}

/** A zip read through, entry by entry, every entry hashed as it streams: nothing large is held in memory. */
export interface ZipRead {
  entries: Map<string, ZipEntryRead>;
  /** Names that appear more than once: unzip tools disagree about which copy wins, so a pack must not have any. */
  duplicates: string[];
}

const open = (file: string) =>
  new Promise<ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: true, strictFileNames: true, validateEntrySizes: true }, (error, zip) =>
      error ? reject(error) : resolve(zip),
    ),
  );

const readOne = (zip: ZipFile, entry: Entry, keep: boolean): Promise<ZipEntryRead> =>
  new Promise((resolve, reject) =>
    zip.openReadStream(entry, (error, stream) => {
      if (error) return reject(error);
      const hash = createHash('sha256');
      const parts: Buffer[] = [];
      let size = 0;
      stream.on('data', (part: Buffer) => {
        hash.update(part);
        size += part.length;
        if (keep) parts.push(part);
      });
      stream.on('end', () =>
        resolve({ name: entry.fileName, sha256: hash.digest('hex'), size, ...(keep ? { bytes: Buffer.concat(parts) } : {}) }),
      );
      stream.on('error', reject);
    }),
  );

/**
 * Reads every entry of a zip file, hashing each; the bytes of entries `keep` names are kept
 * (the pack's JSON and SHA256SUMS). Rejects a file that is not a readable zip (the caller
 * reports it); names that are unsafe as paths are refused by yauzl's strict file names.
 */
export const readZip = async (file: string, keep: (name: string) => boolean): Promise<ZipRead> => {
  const zip = await open(file);
  const entries = new Map<string, ZipEntryRead>();
  const duplicates: string[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: Entry) => {
      if (entry.fileName.endsWith('/')) return zip.readEntry();
      readOne(zip, entry, keep(entry.fileName)).then((read) => {
        if (entries.has(read.name)) duplicates.push(read.name);
        else entries.set(read.name, read);
        zip.readEntry();
      }, reject);
    });
    zip.on('end', () => resolve());
    zip.on('error', reject);
    zip.readEntry();
  });
  return { entries, duplicates };
};
