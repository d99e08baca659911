import { ACCESS_LOG_ARCHIVE_FOLDER } from '../access/archive/archive-folder.ts';
import { KEPT_CHECKPOINT_FILE } from '../integrity/kept-checkpoint.ts';
import { immutableFilesPart, wholeFilePart } from './file-parts.ts';
import type { BackupPart } from './port.ts';

/**
 * Everything a backup carries, in the order it is copied. The kept checkpoint comes first: the
 * ledger only grows, so a ledger copied after it holds at least the tree it covers, and the
 * copy verifies against it (the other way round, a checkpoint signed in between would cover
 * events the copy lacks). Then the backend's shared parts. A feature with data of its own in
 * the data directory adds its part here (access-log archives, evidence files).
 *
 * Not carried: the read models (rebuilt by restore), the Merkle node cache outside the ledger
 * (derived), operations.db (this installation's own history), and the signing key in the
 * clear (see takeBackup: encrypted with a passphrase, or named in the manifest).
 */
export const backupPartsFor = (backendParts: BackupPart[], dataDir: string): BackupPart[] => [
  wholeFilePart(`the kept checkpoint (${KEPT_CHECKPOINT_FILE})`, dataDir, KEPT_CHECKPOINT_FILE),
  ...backendParts,
  immutableFilesPart(`the archived access log (${ACCESS_LOG_ARCHIVE_FOLDER}/)`, dataDir, ACCESS_LOG_ARCHIVE_FOLDER),
];
