import fs from 'node:fs';
import path from 'node:path';
import { openReadModels } from '../../projections/read-models.ts';
import { KEPT_CHECKPOINT_FILE } from '../integrity/kept-checkpoint.ts';
import { createLedgerIntegrity } from '../integrity/ledger-integrity.ts';
import { DEFAULT_KEY_FILE, verificationKeyFromPem } from '../integrity/signing-key.ts';
import type { KeptCheckpoint } from '../integrity/verify-ledger.ts';
import { asTargetFull, BackupNotTrustworthy, BackupUsage } from './backup-errors.ts';
import { checkBackup } from './check-backup.ts';
import { copyFileDurably, fsyncDir, writeFileDurably } from '../files/durable-files.ts';
import { MANIFEST_FILE, type Manifest } from './manifest.ts';
import { endorsementPath } from '../integrity/key-endorsement.ts';
import { readKeyHistory } from '../integrity/key-history.ts';
import type { EventStore } from '../store/port.ts';
import type { LedgerCopy } from './port.ts';
import { decryptSigningKey, EncryptedSigningKey } from './signing-key-backup.ts';
import { DATA_FOLDER } from './take-backup.ts';

export interface RestoreOptions {
  from: string;
  /** The new data directory: absent or empty. */
  dataDir: string;
  /** Opens the embedded backend on the restored data directory. */
  openRestored: (dataDir: string) => Promise<LedgerCopy>;
  /** Opens the backed-up signing key when it is in the backup. */
  passphrase?: string | undefined;
  /** Restore without the key even though the backup holds it (it is then brought separately). */
  withoutSigningKey?: boolean;
  /** The ledger's published public key (PEM), when the operator pins it; else the manifest's own. */
  publicKeyPem?: string | undefined;
  /** Checkpoints an auditor kept: the restored ledger must still hold exactly those trees. */
  supplied?: KeptCheckpoint[];
  say?: (line: string) => void;
}

export interface RestoreResult {
  manifest: Manifest;
  events: number;
  rebuildSeconds: number;
  seconds: number;
  signingKey: 'restored' | 'not-restored';
}

/**
 * Restores a backup into a new data directory: refuses a directory that is not empty, checks
 * the backup against its signed manifest, copies the files, puts the signing key back when
 * the backup holds it, rebuilds the read models from the restored ledger, verifies it (with
 * the manifest's checkpoint and any the auditor kept) and checks it is the ledger the manifest
 * describes. If any step fails the directory is emptied again: nothing half-restored is left
 * for a service to start on.
 */
export const restoreBackup = async (options: RestoreOptions): Promise<RestoreResult> => {
  const say = options.say ?? (() => undefined);
  const started = performance.now();
  const target = path.resolve(options.dataDir);
  if (fs.existsSync(target) && (!fs.statSync(target).isDirectory() || fs.readdirSync(target).length > 0))
    throw new BackupUsage(`${target} is not empty: restore only into a new or empty directory, never over a ledger`);
  const manifest = await checkBackup(options.from, { publicKeyPem: options.publicKeyPem });
  say(`checked the backup of ${manifest.createdAt}: ${manifest.files.length} files match the signed manifest`);
  if (manifest.backend !== 'sqlite')
    throw new BackupUsage(
      `this backup is of a ${manifest.backend} ledger: restore it with that engine's own procedure (docs/operations.md)`,
    );
  const encryptedKey = manifest.signingKey.included === 'encrypted' && !options.withoutSigningKey;
  if (encryptedKey && options.passphrase === undefined)
    throw new BackupUsage(
      'the backup holds the signing key encrypted: give its passphrase (--passphrase-file or LEDGER_BACKUP_PASSPHRASE), or ' +
        '--without-signing-key to bring the key yourself',
    );

  const created = !fs.existsSync(target);
  fs.mkdirSync(target, { recursive: true });
  try {
    for (const file of manifest.files.filter((f) => f.path.startsWith(`${DATA_FOLDER}/`)))
      copyFileDurably(path.join(options.from, file.path), path.join(target, file.path.slice(DATA_FOLDER.length + 1)));
    let signingKey: RestoreResult['signingKey'] = 'not-restored';
    if (encryptedKey) {
      const file = path.join(options.from, manifest.signingKey.file ?? '');
      const pem = decryptSigningKey(EncryptedSigningKey.parse(JSON.parse(fs.readFileSync(file, 'utf8'))), options.passphrase!);
      if (verificationKeyFromPem(pem).keyId !== manifest.signingKey.keyId)
        throw new BackupNotTrustworthy(`the encrypted signing key is not the key ${manifest.signingKey.keyId} the manifest names`);
      writeFileDurably(path.join(target, DEFAULT_KEY_FILE), pem, 0o600);
      signingKey = 'restored';
    }
    fsyncDir(target);
    const { rebuildSeconds } = await rebuildAndVerify(options, manifest, target, say);
    return {
      manifest,
      events: manifest.ledger.events,
      rebuildSeconds,
      seconds: (performance.now() - started) / 1000,
      signingKey,
    };
  } catch (error) {
    if (created) fs.rmSync(target, { recursive: true, force: true });
    else for (const entry of fs.readdirSync(target)) fs.rmSync(path.join(target, entry), { recursive: true, force: true });
    throw asTargetFull(error, {
      where: target,
      doing: 'restoring',
      left:
        `${target} was ${created ? 'removed' : 'emptied'} again, so no service starts on half a restore: ` +
        'free some space there and run it again',
    });
  }
};

/**
 * When the key pinned is not the one that signed the manifest: the restored ledger, verified with the pinned key, must
 * record that key endorsing the manifest's, through its rotations (as an export is checked after a rotation).
 */
const requireEndorsedManifestKey = async (events: EventStore, manifest: Manifest, pinnedId: string) => {
  const signerId = manifest.signingKey.keyId;
  if (pinnedId === signerId) return;
  const { rotations } = await readKeyHistory(events);
  const path = endorsementPath(
    rotations.map(({ position: _position, ...rotation }) => rotation),
    pinnedId,
    signerId,
    { file: 'ledger', made: 'backup' },
  );
  if (path.failure)
    throw new BackupNotTrustworthy(
      `${MANIFEST_FILE} is signed by key ${signerId}, which the ledger key you gave (${pinnedId}) did not endorse in the restored ` +
        `ledger's key history: the backup is not this ledger's, or was edited (${path.failure.message})`,
    );
};

/** Rebuilds the read models, verifies the restored ledger, and compares it with what the manifest says it is. */
const rebuildAndVerify = async (options: RestoreOptions, manifest: Manifest, target: string, say: (line: string) => void) => {
  const backend = await options.openRestored(target);
  try {
    // The key the ledger is verified with: the one pinned, else the manifest's own.
    const key = verificationKeyFromPem(options.publicKeyPem ?? manifest.signingKey.publicKeyPem);
    // Before the rebuild: a backup of another ledger is refused without folding it.
    await requireEndorsedManifestKey(backend.events, manifest, key.keyId);
    const began = performance.now();
    const readModels = openReadModels({ store: backend.events, workerReads: backend.workerReads, dataDir: target });
    try {
      await readModels.runner.rebuild();
    } finally {
      await readModels.close();
    }
    const rebuildSeconds = (performance.now() - began) / 1000;
    say(`rebuilt the read models from ${manifest.ledger.events} events in ${rebuildSeconds.toFixed(1)} s`);

    const integrity = createLedgerIntegrity({
      integrity: backend.integrity,
      events: backend.events,
      key,
      keptCheckpointFile: path.join(target, KEPT_CHECKPOINT_FILE),
    });
    const fromManifest = manifest.ledger.latestCheckpoint
      ? [{ checkpoint: manifest.ledger.latestCheckpoint, source: "the backup manifest's latest checkpoint" }]
      : [];
    const report = await integrity
      .verify(undefined, { supplied: [...fromManifest, ...(options.supplied ?? [])] })
      .finally(() => integrity.close());
    if (!report.ok)
      throw new BackupNotTrustworthy(`the restored ledger does not verify: ${report.failure?.kind}: ${report.failure?.message}`);
    for (const kept of report.keptCheckpoints ?? []) say(`compared with checkpoint ${kept.treeSize}: ${kept.source}`);

    const events = await backend.events.count();
    if (events !== manifest.ledger.events)
      throw new BackupNotTrustworthy(`the restored ledger holds ${events} events; the manifest says ${manifest.ledger.events}`);
    let i = 0;
    for await (const head of backend.integrity.streamHeads()) {
      const expected = manifest.ledger.chainHeads[i++];
      if (!expected || expected.stream !== head.stream || expected.revision !== head.revision.toString() || expected.hash !== head.hash)
        throw new BackupNotTrustworthy(
          `the restored stream ${head.stream} ends at revision ${head.revision} (${head.hash}); the manifest says ` +
            `${expected ? `${expected.stream} ${expected.revision} (${expected.hash})` : 'nothing'}`,
        );
    }
    if (i !== manifest.ledger.chainHeads.length)
      throw new BackupNotTrustworthy(`the manifest names ${manifest.ledger.chainHeads.length} streams; the restored ledger holds ${i}`);
    say(
      `verified the restored ledger: ${report.eventsChecked} events, ${report.streamsChecked} streams, ` +
        `${report.checkpointsChecked} checkpoints, every chain head as the manifest says`,
    );
    return { rebuildSeconds };
  } finally {
    await backend.close();
  }
};
