import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import yazl from 'yazl';

/**
 * Real, minimal files of every kind an upload may be: each made here the way its format
 * says, so type recognition is tested on genuine structure rather than on a first few bytes.
 */

export const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export const pdf = (text = 'Board minutes, March 2018') =>
  Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n` +
      `% ${text}\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
  );

const crc32 = (bytes: Buffer) => {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
};
const pngChunk = (type: string, data: Buffer) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
};
/** A one-pixel PNG with a pixel value of `shade`, so different shades make different files. */
export const png = (shade = 0) => {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.from([0, shade]))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
};

export const jpeg = () =>
  Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
    Buffer.from('JFIF\0', 'latin1'),
    Buffer.from([1, 1, 0, 0, 1, 0, 1, 0, 0]),
    Buffer.from([0xff, 0xd9]),
  ]);

export const gif = () => Buffer.concat([Buffer.from('GIF89a', 'ascii'), Buffer.from([1, 0, 1, 0, 0, 0, 0, 0x3b])]);

const zip = (entries: Array<[string, string, { compress?: boolean }?]>): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const file = new yazl.ZipFile();
    for (const [name, content, options] of entries)
      file.addBuffer(Buffer.from(content), name, { compress: options?.compress ?? true, mtime: new Date('2018-03-01T12:00:00Z') });
    file.end();
    const parts: Buffer[] = [];
    file.outputStream.on('data', (part: Buffer) => parts.push(part));
    file.outputStream.on('end', () => resolve(Buffer.concat(parts)));
    file.outputStream.on('error', reject);
  });

const contentTypes = (partName: string, contentType: string) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
  `<Default Extension="xml" ContentType="application/xml"/>` +
  `<Override ContentType="${contentType}" PartName="${partName}"/></Types>`;

export const docx = (text = 'Signed protocol') =>
  zip([
    [
      '[Content_Types].xml',
      contentTypes('/word/document.xml', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml'),
    ],
    ['word/document.xml', `<w:document><w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:body></w:document>`],
  ]);

/** A macro-enabled Word document: the same package, declaring a main part that can carry macros. */
export const docm = () =>
  zip([
    ['[Content_Types].xml', contentTypes('/word/document.xml', 'application/vnd.ms-word.document.macroEnabled.main+xml')],
    ['word/document.xml', '<w:document/>'],
    ['word/vbaProject.bin', 'macros'],
  ]);

export const xlsx = () =>
  zip([
    ['[Content_Types].xml', contentTypes('/xl/workbook.xml', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml')],
    ['xl/workbook.xml', '<workbook/>'],
  ]);

export const odt = () =>
  zip([
    ['mimetype', 'application/vnd.oasis.opendocument.text', { compress: false }],
    ['content.xml', '<office:document-content/>'],
    ['META-INF/manifest.xml', '<manifest:manifest/>'],
  ]);

/** An OpenDocument spreadsheet: a real ODF package, of a type not accepted. */
export const ods = () =>
  zip([
    ['mimetype', 'application/vnd.oasis.opendocument.spreadsheet', { compress: false }],
    ['content.xml', '<office:document-content/>'],
  ]);

export const plainZip = () => zip([['notes.txt', 'not a document']]);

export const csv = () => Buffer.from('ref,status\n1.3,complete\n2.2,subsumed\n', 'utf8');
export const latin1Text = () => Buffer.from('Caf\xe9 minutes\n', 'latin1');
export const eml = () =>
  Buffer.from('From: board@example.org\r\nTo: lead@example.org\r\nSubject: Assurance\r\n\r\nThe board accepted the report.\r\n', 'utf8');

/** A multipart/form-data body as a browser or curl sends it (built by the platform's own FormData). */
export const multipart = async (
  file: { content: Buffer; name: string; type?: string } | undefined,
  fields: Record<string, string> = {},
): Promise<{ payload: Buffer; headers: Record<string, string> }> => {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (file) form.append('file', new Blob([new Uint8Array(file.content)], { type: file.type ?? 'application/octet-stream' }), file.name);
  const encoded = new Response(form);
  return { payload: Buffer.from(await encoded.arrayBuffer()), headers: { 'content-type': encoded.headers.get('content-type')! } };
};
