import { hkdfSync, type KeyObject } from 'node:crypto';

/**
 * The key that signs web sessions and CSRF secrets must be the same on every instance, or a
 * person signed in on one would be signed out by the next. Configured explicitly
 * (LEDGER_SESSION_SECRET, at least 32 characters) it is used as given. Otherwise it is derived
 * with HKDF from the ledger's signing key, which every instance of one ledger already shares
 * (they all sign checkpoints of the same tree): nothing new to distribute, and changing the
 * signing key ends every session.
 */
export const sessionSecret = (source: { configured?: string | undefined; signingKey: KeyObject }): Uint8Array => {
  if (source.configured !== undefined) {
    if (source.configured.length < 32) throw new Error('LEDGER_SESSION_SECRET must be at least 32 characters');
    return new TextEncoder().encode(source.configured);
  }
  const ikm = source.signingKey.export({ format: 'der', type: 'pkcs8' });
  return new Uint8Array(hkdfSync('sha256', ikm, 'assurance-ledger', 'web sessions and CSRF v1', 32));
};
