import contentDisposition from 'content-disposition';

/**
 * The Content-Disposition of a download named `name`: the name in UTF-8 (`filename*`, RFC 6266 and 8187,
 * which browsers take), and for a client that reads only `filename`, the same name in ASCII, accents
 * dropped ("Proces-verbal.pdf") and any other letter a hyphen. content-disposition's own fallback keeps
 * a latin-1 letter as its raw byte (é as 0xE9): RFC 6266 allows it, but clients read header bytes as
 * UTF-8 or as latin-1 as they please, and many show it mangled.
 */
export const attachmentDisposition = (name: string): string => {
  const ascii = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]+/g, '-')
    .replace(/-{2,}/g, '-');
  return contentDisposition(name, { type: 'attachment', fallback: ascii === name ? true : ascii });
};
