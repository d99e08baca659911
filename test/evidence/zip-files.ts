import fs from 'node:fs';
import yauzl, { type Entry } from 'yauzl';
import yazl from 'yazl';

/** Every entry of a zip file, read whole (test packs are small). */
export const unzip = (file: string): Promise<Map<string, Buffer>> =>
  new Promise((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const entries = new Map<string, Buffer>();
      zip.on('entry', (entry: Entry) =>
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const parts: Buffer[] = [];
          stream.on('data', (p: Buffer) => parts.push(p));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(parts));
            zip.readEntry();
          });
        }),
      );
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    }),
  );

/** Writes a zip of these entries, in this order, as someone editing a pack by hand would. */
export const writeZip = (file: string, entries: Array<[string, Buffer]>): Promise<void> =>
  new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const [name, bytes] of entries) zip.addBuffer(bytes, name);
    zip.end();
    zip.outputStream.pipe(fs.createWriteStream(file)).on('finish', resolve).on('error', reject);
  });

/** A copy of a zip with some entries replaced (a Buffer), removed (null), or added. */
export const editZip = async (from: string, to: string, edits: Record<string, Buffer | null>): Promise<void> => {
  const entries = await unzip(from);
  for (const [name, bytes] of Object.entries(edits)) {
    if (bytes === null) entries.delete(name);
    else entries.set(name, bytes);
  }
  await writeZip(to, [...entries]);
};
