import fs from 'node:fs';
import { safeParse } from 'fast-content-type-parse';
import { fileTypeFromFile } from 'file-type';
import { EvidenceRefused } from './evidence-refused.ts';
import { officeDocumentType } from './office-document.ts';

/** Binary types, recognised by their content whatever the file is called or declared as. */
const SIGNED_TYPES = new Set(['application/pdf', 'image/png', 'image/jpeg']);
/** What file-type calls a zip, or a document in a zip (Office and OpenDocument families): each is looked inside. */
const isZipFamily = (mime: string) => mime === 'application/zip' || /officedocument|opendocument|ms-word|ms-excel|ms-powerpoint/.test(mime);
/** Text types have no signature: they are taken as declared, if the bytes are UTF-8 text. */
export const TEXT_TYPES = new Set(['text/plain', 'text/csv', 'message/rfc822']);

export const ACCEPTED_TYPES_TEXT =
  'PDF, PNG, JPEG, Word (.docx), Excel (.xlsx) and OpenDocument text (.odt) files, recognised by their content, and ' +
  'UTF-8 text declared as text/plain, text/csv or message/rfc822 (.txt, .csv, .eml)';

const unsupported = (what: string) =>
  new EvidenceRefused(415, 'unsupported-media-type', `This file is ${what}. Accepted: ${ACCEPTED_TYPES_TEXT}.`);

/**
 * The media type an evidence file is recorded with, from its bytes: a signature for PDF, PNG
 * and JPEG; the package inside for DOCX, XLSX and ODT; for anything without a signature, UTF-8
 * text with the type the uploader declared, if it is a text type on the list. Else 415.
 */
export const mediaTypeOf = async (file: string, declared: string | undefined): Promise<string> => {
  const detected = await fileTypeFromFile(file);
  if (detected && SIGNED_TYPES.has(detected.mime)) return detected.mime;
  if (detected && isZipFamily(detected.mime)) {
    const inside = await officeDocumentType(file);
    if ('refused' in inside) throw unsupported(inside.refused);
    return inside.mediaType;
  }
  if (detected) throw unsupported(`${detected.mime} (recognised by its content)`);
  const essence = declaredText(declared);
  if (!(await isUtf8Text(file))) throw unsupported('neither a recognised document nor UTF-8 text');
  if (!essence)
    throw unsupported(
      `UTF-8 text declared as ${declared ?? 'nothing'}; declare text/plain, text/csv or message/rfc822 ` +
        '(ledger attach-evidence: --type text/csv; with curl: -F "file=@notes.csv;type=text/csv")',
    );
  return essence;
};

/** The declared type's essence when it is an accepted text type in UTF-8 (or no charset), else undefined. */
const declaredText = (declared: string | undefined): string | undefined => {
  if (!declared) return undefined;
  const parsed = safeParse(declared);
  const charset = parsed.parameters.charset?.toLowerCase();
  if (charset !== undefined && !['utf-8', 'utf8', 'us-ascii'].includes(charset)) return undefined;
  return TEXT_TYPES.has(parsed.type) ? parsed.type : undefined;
};

/** Valid UTF-8 throughout, and no NUL byte (which no text document holds): read as a stream, never whole. */
const isUtf8Text = async (file: string): Promise<boolean> => {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 256 * 1024 })) {
      if ((chunk as Buffer).includes(0)) return false;
      decoder.decode(chunk as Buffer, { stream: true });
    }
    decoder.decode();
    return true;
  } catch (error) {
    if (error instanceof TypeError) return false;
    throw error;
  }
};
