/** Each entity tag of a list, weak or strong, by its opaque tag (commas may sit inside the quotes). */
const ENTITY_TAG = /(?:W\/)?"([^"]*)"/g;

/**
 * Whether `If-None-Match` matches the representation whose strong ETag is `etag` (RFC 9110
 * §13.1.2): `*` matches any, and tags are compared weakly, so `W/"…"` matches too. A proxy that
 * compresses a response (nginx with gzip) turns its ETag weak, and the client then sends it back
 * so: compared strongly, it never matched and every revalidation downloaded the file again.
 */
export const ifNoneMatchHolds = (header: string | undefined, etag: string): boolean => {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  for (const [tag] of header.matchAll(ENTITY_TAG)) if (tag.replace(/^W\//, '') === opaque) return true;
  return false;
};
