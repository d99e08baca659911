import type { IncomingMessage } from 'node:http';

/**
 * How many Authorization fields the request carried. Node keeps only the first in
 * `request.headers`, so `Authorization: Bearer <viewer>` then `Authorization: Bearer <manager>`
 * acted as whichever came first, without a word; the field is a singleton (RFC 9110 §11.6.2),
 * and who acts must not hang on the order a client or a proxy put two of them in.
 */
export const authorizationFieldCount = (raw: IncomingMessage): number => {
  let count = 0;
  for (let i = 0; i < raw.rawHeaders.length; i += 2) if (raw.rawHeaders[i]!.toLowerCase() === 'authorization') count++;
  return count;
};
