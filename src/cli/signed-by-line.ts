/** What an offline check found of the keys: the one that signed, and the one the reader supplied (--public-key). */
export interface KeysFound {
  keyId?: string;
  pinnedKeyId?: string;
  endorsedThrough?: string[];
}

/**
 * The line a verifier prints of the key that signed: "the key you supplied" only when it is that
 * key; when the supplied key vouches for it through the key history, the path; when it neither
 * signed nor vouches, both ids, so a failed check does not read as the supplied key's.
 */
export const signedByLine = ({ keyId, pinnedKeyId, endorsedThrough }: KeysFound): string | undefined => {
  if (!keyId) return undefined;
  if (endorsedThrough)
    return `signed by key ${keyId}, which the key you supplied endorsed through the ledger's key history (${endorsedThrough.join(' -> ')})`;
  if (pinnedKeyId === undefined) return `signed by key ${keyId}`;
  if (pinnedKeyId === keyId) return `signed by key ${keyId} (the key you supplied)`;
  return `signed by key ${keyId}, not by the key you supplied (${pinnedKeyId})`;
};
