import fs from 'node:fs';
import path from 'node:path';
import { BackupNotTrustworthy, BackupUsage } from './backup-errors.ts';
import { filesUnder, sha256OfFile } from '../files/durable-files.ts';
import { Manifest, MANIFEST_FILE, manifestSignatureValid } from './manifest.ts';
import { verificationKeyFromPem } from '../integrity/signing-key.ts';

/** The id of the public key a manifest carries, or undefined when it is not one. */
const carriedKeyId = (pem: string): string | undefined => {
  try {
    return verificationKeyFromPem(pem).keyId;
  } catch {
    return undefined;
  }
};

/**
 * Checks a backup against its manifest before anything is restored: the manifest is one this
 * tool wrote and is signed by the ledger key it names (the pinned key, when one is given and it
 * names that key; one it names after a rotation is checked against the restored key history), and
 * every file is there with its size and sha256, with nothing added. The first difference is
 * named: "data/access.db has changed", "manifest.json was edited after the backup".
 */
export const checkBackup = async (backupDir: string, options: { publicKeyPem?: string | undefined } = {}): Promise<Manifest> => {
  const manifestFile = path.join(backupDir, MANIFEST_FILE);
  if (!fs.existsSync(backupDir)) throw new BackupUsage(`there is no backup at ${backupDir}`);
  if (!fs.existsSync(manifestFile))
    throw new BackupNotTrustworthy(
      `${backupDir} has no ${MANIFEST_FILE}: it is not a complete backup (an unfinished or unverified copy has none)`,
    );
  let manifest: Manifest;
  try {
    const parsed = Manifest.safeParse(JSON.parse(fs.readFileSync(manifestFile, 'utf8')));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${issue?.path.join('.') || '(top)'}: ${issue?.message}`);
    }
    manifest = parsed.data;
  } catch (error) {
    throw new BackupNotTrustworthy(`${MANIFEST_FILE} is not a backup manifest this tool can read: ${(error as Error).message}`);
  }
  // The key the manifest names is the key it carries, and the one its signature names: a key id alone proves nothing, and
  // the endorsement checked at restore is of that id.
  if (
    carriedKeyId(manifest.signingKey.publicKeyPem) !== manifest.signingKey.keyId ||
    manifest.signature.keyId !== manifest.signingKey.keyId
  )
    throw new BackupNotTrustworthy(
      `${MANIFEST_FILE} names key ${manifest.signingKey.keyId} but carries or is signed by another: it was edited after the backup`,
    );
  // Signed by another key than the one pinned, the manifest may still be this ledger's: after a rotation the pinned key
  // endorsed the new one, which the restored ledger's key history says (restore checks it, once the ledger verifies).
  const pinnedId = options.publicKeyPem === undefined ? undefined : verificationKeyFromPem(options.publicKeyPem).keyId;
  if (
    options.publicKeyPem !== undefined &&
    pinnedId === manifest.signingKey.keyId &&
    !manifestSignatureValid(manifest, options.publicKeyPem)
  )
    throw new BackupNotTrustworthy(
      `${MANIFEST_FILE} is not signed by the ledger key you gave (it names key ${manifest.signingKey.keyId}): the backup is ` +
        `not this ledger's, or was edited`,
    );
  if (!manifestSignatureValid(manifest))
    throw new BackupNotTrustworthy(`${MANIFEST_FILE} was edited after the backup was taken: its signature does not verify`);

  const listed = new Map(manifest.files.map((f) => [f.path, f]));
  const present = filesUnder(backupDir).filter((f) => f !== MANIFEST_FILE);
  for (const file of present)
    if (!listed.has(file)) throw new BackupNotTrustworthy(`${file} is in the backup but not in its manifest: something was added`);
  for (const entry of manifest.files) {
    const full = path.join(backupDir, entry.path);
    if (!fs.existsSync(full)) throw new BackupNotTrustworthy(`${entry.path} is missing from the backup`);
    const size = fs.statSync(full).size;
    if (size !== entry.bytes)
      throw new BackupNotTrustworthy(`${entry.path} has changed since the backup: ${entry.bytes} bytes in the manifest, ${size} found`);
    const sha256 = await sha256OfFile(full);
    if (sha256 !== entry.sha256)
      throw new BackupNotTrustworthy(`${entry.path} has changed since the backup: sha256 ${entry.sha256} in the manifest, ${sha256} found`);
  }
  return manifest;
};
