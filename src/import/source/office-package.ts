import { strFromU8, unzipSync } from 'fflate';
import { ImportError } from '../import-error.ts';

/**
 * A .docx or .xlsx is a zip of XML parts. This opens one with fflate (small, fast, no
 * native code, and it lets us list the parts and refuse before inflating anything), and
 * says plainly what is wrong when the file is not a usable Word document or workbook:
 * a damaged zip, a macro-enabled file, a zip of something else, or parts too large to be
 * a plan (a zip bomb inflates a small upload into gigabytes).
 */
export type OfficeKind = 'docx' | 'xlsx';

/** A plan's XML is a few MB even at 10,000 actions; far beyond this is not a plan. */
const MAX_PART_BYTES = 256 * 1024 * 1024;

const WHAT: Record<OfficeKind, string> = { docx: 'Word document', xlsx: 'Excel workbook' };

export interface OfficePackage {
  kind: OfficeKind;
  /** The text of one part, or undefined when the package has no such part. */
  part(name: string): string | undefined;
}

export const openOfficePackage = (bytes: Uint8Array, fileName: string): OfficePackage => {
  const names: string[] = [];
  let tooLarge: string | undefined;
  let parts: Record<string, Uint8Array>;
  // Only what the Word reader needs is inflated here; exceljs opens a workbook itself.
  const wanted = (name: string) =>
    name === '[Content_Types].xml' || name === 'word/document.xml' || name === 'word/numbering.xml' || name === 'word/styles.xml';
  try {
    parts = unzipSync(bytes, {
      filter: (file) => {
        names.push(file.name);
        if (file.originalSize > MAX_PART_BYTES) tooLarge ??= file.name;
        return wanted(file.name) && tooLarge === undefined;
      },
    });
  } catch (error) {
    throw new ImportError(
      'damaged-file',
      `"${fileName}" looks like a Word document or workbook (a zip file) but cannot be opened: ${(error as Error).message}. ` +
        `It may be cut short or damaged; save it again from Word or Excel`,
      undefined,
      422,
    );
  }
  if (tooLarge)
    throw new ImportError(
      'document-too-large',
      `part ${tooLarge} of "${fileName}" unpacks to more than ${MAX_PART_BYTES / 1048576} MB, far larger than any plan; nothing was read`,
      undefined,
      413,
    );
  const kind: OfficeKind | undefined = names.includes('word/document.xml')
    ? 'docx'
    : names.includes('xl/workbook.xml')
      ? 'xlsx'
      : undefined;
  if (!kind)
    throw new ImportError(
      'unsupported-file',
      `"${fileName}" is a zip file but neither a Word document (.docx) nor an Excel workbook (.xlsx); it holds ${names
        .slice(0, 5)
        .map((n) => `"${n}"`)
        .join(', ')}${names.length > 5 ? ', …' : ''}`,
      undefined,
      415,
    );
  const types = parts['[Content_Types].xml'] ? strFromU8(parts['[Content_Types].xml']) : '';
  if (names.some((n) => /vbaProject\.bin$/i.test(n)) || /macroEnabled/i.test(types))
    throw new ImportError(
      'macro-enabled-file',
      `"${fileName}" is a macro-enabled ${WHAT[kind]} (${kind === 'docx' ? '.docm' : '.xlsm'}); the ledger ` +
        `does not open files that carry macros. Save a copy as ` +
        `${kind === 'docx' ? 'a Word Document (.docx)' : 'an Excel Workbook (.xlsx)'} ` +
        `and import that`,
      undefined,
      415,
    );
  return { kind, part: (name) => (parts[name] ? strFromU8(parts[name]) : undefined) };
};
