import yauzl, { type Entry, type ZipFile } from 'yauzl';

/** The office documents accepted, by the media type their package declares for its main part. */
const OOXML_MAIN_PARTS: Record<string, string> = {
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml':
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml':
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
const ODT = 'application/vnd.oasis.opendocument.text';

/** Entries read at most, and bytes of the one small entry that names the type: a zip bomb gets no further. */
const MAX_ENTRIES = 20_000;
const MAX_TYPE_ENTRY_BYTES = 1024 * 1024;

export type OfficeDocumentType = { mediaType: string } | { refused: string };

/**
 * What a zip file is, from what it holds rather than its name: a Word document (DOCX) or an
 * Excel workbook (XLSX) when its `[Content_Types].xml` declares the main part of one and that
 * part is there, an OpenDocument text (ODT) when its `mimetype` entry says so. A macro-enabled
 * or template package declares another main part and is refused, as is any other zip.
 */
export const officeDocumentType = async (file: string): Promise<OfficeDocumentType> => {
  let zip: ZipFile;
  try {
    zip = await new Promise<ZipFile>((resolve, reject) =>
      yauzl.open(file, { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true }, (error, opened) =>
        error ? reject(error) : resolve(opened),
      ),
    );
  } catch (error) {
    return { refused: `it looks like a zip file but cannot be read as one (${(error as Error).message})` };
  }
  try {
    if (zip.entryCount > MAX_ENTRIES) return { refused: `the zip file holds more than ${MAX_ENTRIES} entries` };
    const entries = await readEntries(zip);
    const mimetype = entries.get('mimetype');
    if (mimetype) {
      const declared = (await readEntry(zip, mimetype)).trim();
      if (declared === ODT && entries.has('content.xml')) return { mediaType: ODT };
      return { refused: `an OpenDocument file of type ${declared.slice(0, 100)} (only ODT text documents are accepted)` };
    }
    const contentTypes = entries.get('[Content_Types].xml');
    if (!contentTypes) return { refused: 'a zip file that is not a DOCX, XLSX or ODT document' };
    for (const override of overrides(await readEntry(zip, contentTypes))) {
      const mediaType = OOXML_MAIN_PARTS[override.contentType];
      if (mediaType && entries.has(override.partName.replace(/^\//, ''))) return { mediaType };
      if (/macroEnabled/i.test(override.contentType)) return { refused: 'a macro-enabled Office document (save it as .docx or .xlsx)' };
    }
    return { refused: 'an Office package that is not a Word document (.docx) or an Excel workbook (.xlsx)' };
  } catch (error) {
    return { refused: `the zip file is damaged (${(error as Error).message})` };
  } finally {
    zip.close();
  }
};

const readEntries = (zip: ZipFile): Promise<Map<string, Entry>> =>
  new Promise((resolve, reject) => {
    const entries = new Map<string, Entry>();
    zip.on('entry', (entry: Entry) => {
      entries.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', reject);
    zip.readEntry();
  });

const readEntry = (zip: ZipFile, entry: Entry): Promise<string> => {
  if (entry.uncompressedSize > MAX_TYPE_ENTRY_BYTES) return Promise.reject(new Error(`${entry.fileName} is implausibly large`));
  return new Promise((resolve, reject) =>
    zip.openReadStream(entry, (error, stream) => {
      if (error) return reject(error);
      const parts: Buffer[] = [];
      stream.on('data', (part: Buffer) => parts.push(part));
      stream.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
      stream.on('error', reject);
    }),
  );
};

/** The <Override PartName=… ContentType=…/> declarations of an OOXML package, attributes in any order. */
const overrides = (xml: string): { partName: string; contentType: string }[] =>
  [...xml.matchAll(/<Override\b([^>]*)>/g)].flatMap(([, attributes]) => {
    const partName = /\bPartName\s*=\s*"([^"]*)"/.exec(attributes!)?.[1];
    const contentType = /\bContentType\s*=\s*"([^"]*)"/.exec(attributes!)?.[1];
    return partName && contentType ? [{ partName, contentType }] : [];
  });
