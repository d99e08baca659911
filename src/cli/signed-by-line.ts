/** What an offline check found of the keys: the one that signed, and the one the reader supplied (--public-key). */
export interface KeysFound {
  /** Every check held. */
  ok: boolean;
  keyId?: string;
  pinnedKeyId?: string;
  endorsedThrough?: string[];
}

/**
 * The line a verifier prints of the key that signed: "the key you supplied" only when it is that
 * key; when the supplied key vouches for it through the key history, the path; when it neither
 * signed nor vouches, both ids. A file whose checks failed is not said to be signed by anyone: it
 * names a key as its signer, which is all that is known of it.
 */
export const signedByLine = ({ ok, keyId, pinnedKeyId, endorsedThrough }: KeysFound): string | undefined => {
  if (!keyId) return undefined;
  const signer = ok ? `signed by key ${keyId}` : `the file names key ${keyId} as its signer`;
  if (endorsedThrough)
    return `${signer}, which the key you supplied endorsed through the ledger's key history (${endorsedThrough.join(' -> ')})`;
  if (pinnedKeyId === undefined) return signer;
  if (pinnedKeyId === keyId) return `${signer} (the key you supplied)`;
  return `${signer}, not the key you supplied (${pinnedKeyId})`;
};
