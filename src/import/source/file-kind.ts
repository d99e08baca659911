import { ImportError } from '../import-error.ts';

/**
 * What a file is, from its first bytes rather than its name: a plan saved as .docx may
 * arrive named .txt, and a photo renamed .docx is still a photo. Only what the importer
 * must tell apart is recognised: the zip of a Word document or workbook, the older
 * compound-file format (legacy .doc/.xls, and every password-protected Office file),
 * text in UTF-16 (Word's "Unicode text"), and a few common files that are never plans,
 * named so the message can say what was sent.
 */
export type FileKind = 'zip' | 'compound' | 'utf16le' | 'utf16be' | 'text';

const NOT_A_PLAN: { magic: number[]; what: string }[] = [
  { magic: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { magic: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { magic: [0x47, 0x49, 0x46, 0x38], what: 'a GIF image' },
  { magic: [0x25, 0x50, 0x44, 0x46], what: 'a PDF' },
  { magic: [0x7b, 0x5c, 0x72, 0x74, 0x66], what: 'an RTF document' },
];

const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

const SAVE_AS = 'save the plan as a Word document (.docx), an Excel workbook (.xlsx), plain text, or the CSV/JSON import format';

export const fileKind = (bytes: Uint8Array, fileName: string): FileKind => {
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) return 'zip';
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    // An encrypted .docx/.xlsx is a compound file holding an "EncryptedPackage" stream (names are UTF-16).
    if (Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(Buffer.from('EncryptedPackage', 'utf16le')))
      throw new ImportError(
        'password-protected-file',
        `"${fileName}" is protected with a password, so it cannot be read. Open it in Word or Excel, remove the ` +
          `password (File → Info → Protect → Encrypt with Password, clear it), save, and import again`,
        undefined,
        415,
      );
    throw new ImportError(
      'legacy-office-file',
      `"${fileName}" is in the old binary Word or Excel format (.doc or .xls), which the importer does not read: open it and ${SAVE_AS}`,
      undefined,
      415,
    );
  }
  if (startsWith(bytes, [0xff, 0xfe])) return 'utf16le';
  if (startsWith(bytes, [0xfe, 0xff])) return 'utf16be';
  const known = NOT_A_PLAN.find((k) => startsWith(bytes, k.magic));
  if (known)
    throw new ImportError(
      'not-a-plan-document',
      `"${fileName}" is ${known.what}, not an action plan, whatever its name says; ${SAVE_AS}`,
      undefined,
      415,
    );
  return 'text';
};
