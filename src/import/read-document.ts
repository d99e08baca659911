import { ImportError } from './import-error.ts';

/**
 * The bytes of an uploaded or named file, checked before any parsing: not too large,
 * text rather than binary, valid UTF-8 (a file cut in the middle of a character is
 * named as truncated), and which format it is.
 */
/** The formats the importer reads, as `--format` and POST /imports' `format` name them. */
export const DOCUMENT_FORMATS = ['text', 'csv', 'json', 'docx', 'xlsx'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

/** Plans are text: 10,000 actions with 50,000 updates fit in well under this. */
export const MAX_DOCUMENT_BYTES = 32 * 1024 * 1024;

const lineAt = (bytes: Uint8Array, offset: number) => {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
};

export const checkSize = (bytes: Uint8Array, maxBytes = MAX_DOCUMENT_BYTES) => {
  if (bytes.length > maxBytes)
    throw new ImportError(
      'document-too-large',
      `the file is ${(bytes.length / 1048576).toFixed(1)} MB; the largest plan accepted is ${maxBytes / 1048576} MB`,
      undefined,
      413,
    );
  if (bytes.length === 0) throw new ImportError('document-empty', 'the file is empty', undefined, 422);
};

/**
 * Text in UTF-16 with a byte-order mark is what Word's "Unicode text" export writes: it
 * is decoded as such (a file cut in the middle of a character is named as cut short).
 */
const decodeUtf16 = (bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): string => {
  if (bytes.length % 2 !== 0)
    throw new ImportError('document-truncated', 'the file is UTF-16 text with an odd number of bytes: it was cut short', undefined, 422);
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes.subarray(2));
  } catch {
    throw new ImportError('not-utf16', `the file starts like UTF-16 text but is not valid ${encoding.toUpperCase()}`, undefined, 415);
  }
};

export const decodeDocument = (
  content: Uint8Array | string,
  maxBytes = MAX_DOCUMENT_BYTES,
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' = 'utf-8',
): string => {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  checkSize(bytes, maxBytes);
  if (encoding !== 'utf-8') return decodeUtf16(bytes, encoding);
  const nul = bytes.indexOf(0);
  if (nul >= 0)
    throw new ImportError(
      'not-a-text-document',
      'the file is binary (it contains NUL bytes), not a Word document, workbook, text export, CSV or JSON that the importer can read',
      lineAt(bytes, nul),
      415,
    );
  // Streamed in chunks so an invalid byte is placed (to its chunk's first line) and an
  // incomplete character at the very end is told apart: that file was cut short.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parts: string[] = [];
  const CHUNK = 64 * 1024;
  for (let offset = 0; offset < bytes.length; offset += CHUNK) {
    try {
      parts.push(decoder.decode(bytes.subarray(offset, offset + CHUNK), { stream: true }));
    } catch {
      const probe = new TextDecoder('utf-8', { fatal: true });
      let bad = offset;
      try {
        for (bad = Math.max(0, offset - 4); bad < bytes.length; bad++) probe.decode(bytes.subarray(bad, bad + 1), { stream: true });
      } catch {
        // `bad` is the first byte that cannot be part of UTF-8 text.
      }
      throw new ImportError(
        'not-utf8',
        'the file is not UTF-8 text; save it as UTF-8 (Word: Plain Text, Unicode UTF-8)',
        lineAt(bytes, bad),
        415,
      );
    }
  }
  try {
    parts.push(decoder.decode());
  } catch {
    throw new ImportError(
      'document-truncated',
      'the file ends in the middle of a character: it was cut short',
      lineAt(bytes, bytes.length),
      422,
    );
  }
  return parts.join('');
};

export const detectFormat = (fileName: string, text: string): DocumentFormat => {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.csv')) return 'csv';
  const start = text.trimStart();
  if (start.startsWith('{')) return 'json';
  if (/^\uFEFF?type,/i.test(start)) return 'csv';
  return 'text';
};
