import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KEPT_CHECKPOINT_FILE } from '../integrity/kept-checkpoint.ts';
import { createLedgerIntegrity } from '../integrity/ledger-integrity.ts';
import type { LedgerSigningKey } from '../integrity/signing-key.ts';
import { toolVersion } from '../tool-version.ts';
import { asTargetFull, BackupNotTrustworthy, BackupTargetFull } from './backup-errors.ts';
import { backupName, partialName, unverifiedName } from './backup-names.ts';
import { filesUnder, freeBytesAt, fsyncDir, sha256OfFile, writeFileDurably } from '../files/durable-files.ts';
import { MANIFEST_FILE, MANIFEST_FORMAT, signManifest, type Manifest, type UnsignedManifest } from './manifest.ts';
import type { BackupPart, BackupSource } from './port.ts';
import { encryptSigningKey } from './signing-key-backup.ts';

export const DATA_FOLDER = 'data';
export const ENCRYPTED_KEY_FILE = 'signing-key.enc.json';

export interface TakeBackupOptions {
  source: BackupSource;
  /** The parts in copy order (src/backup/backup-parts.ts). */
  parts: BackupPart[];
  backendKind: string;
  dataDir: string;
  /** The directory that holds backups; each backup is a new folder in it. */
  to: string;
  /** The ledger's signing key: the manifest is signed with it, and the copy verified against its public half. */
  key: LedgerSigningKey;
  /** Where the service reads the key, for the manifest ("LEDGER_SIGNING_KEY_FILE=/etc/…", "<data dir>/ledger-signing-key.pem"). */
  keyKeptAt: string;
  /** With a passphrase the key goes into the backup encrypted; without, the manifest only says where it is kept. */
  passphrase?: string | undefined;
  clock?: () => Date;
  say?: (line: string) => void;
}

export interface BackupResult {
  directory: string;
  manifest: Manifest;
  bytes: number;
  seconds: number;
}

/** A little room beyond the estimate: the manifest, the encrypted key, and file-system overhead. */
const SLACK_BYTES = 1024 * 1024;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/**
 * Takes a backup while the service runs: copies each part into a hidden partial folder, opens
 * the copy as a ledger and verifies it with the same verify as `ledger verify`, describes the
 * copy (head, chain heads, latest checkpoint) in a signed manifest with every file's sha256,
 * and only then renames the folder to its final name. Anything short of that leaves nothing
 * that looks like a backup: a full disk or an error removes the partial folder, and a copy
 * that does not verify is kept aside as `<name>.unverified`, without a manifest, to look at.
 */
export const takeBackup = async (options: TakeBackupOptions): Promise<BackupResult> => {
  const clock = options.clock ?? (() => new Date());
  const say = options.say ?? (() => undefined);
  const started = clock();
  const startedMs = performance.now();
  try {
    fs.mkdirSync(options.to, { recursive: true });
  } catch (error) {
    // A disk already full may not hold even the folder (where a directory takes a block of its own).
    throw asTargetFull(error, { where: options.to, doing: 'backing up', left: 'nothing was written' });
  }

  const estimates = await Promise.all(options.parts.map((part) => part.estimateBytes()));
  const needed = estimates.reduce((a, b) => a + b, 0) + SLACK_BYTES;
  const free = freeBytesAt(options.to);
  if (free < needed)
    throw new BackupTargetFull(
      `not enough space in ${options.to} for the backup: it needs about ${mib(needed)} and ${mib(free)} is free; nothing was written`,
    );

  const name = backupName(started);
  const partial = path.join(options.to, partialName(name));
  const dataCopy = path.join(partial, DATA_FOLDER);
  try {
    fs.mkdirSync(dataCopy, { recursive: true });
    for (const part of options.parts) {
      const began = performance.now();
      const files = await part.copyInto(dataCopy);
      const bytes = files.reduce((sum, f) => sum + fs.statSync(path.join(dataCopy, f)).size, 0);
      say(
        `copied ${part.name}: ` +
          `${files.length === 0 ? 'nothing yet' : `${mib(bytes)} in ${((performance.now() - began) / 1000).toFixed(1)} s`}`,
      );
    }
    if (options.passphrase !== undefined) {
      const pem = options.key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
      const encrypted = encryptSigningKey(pem, options.key.keyId, options.passphrase);
      writeFileDurably(path.join(partial, ENCRYPTED_KEY_FILE), `${JSON.stringify(encrypted, null, 2)}\n`, 0o600);
      say(`the signing key (${options.key.keyId}) is in the backup, encrypted with the passphrase`);
    } else say(`the signing key (${options.key.keyId}) is not in the backup: the manifest says where it is kept (${options.keyKeptAt})`);

    const described = await verifyAndDescribe(options, dataCopy, say);
    if (!described.ok) {
      const aside = path.join(options.to, unverifiedName(name));
      fs.renameSync(partial, aside);
      throw new BackupNotTrustworthy(
        `the copy does not verify (${described.failure}); it is kept without a manifest at ${aside}. Run \`ledger verify\` on ` +
          `the live ledger.`,
      );
    }

    const files = [];
    for (const file of filesUnder(partial)) {
      const full = path.join(partial, file);
      files.push({ path: file, bytes: fs.statSync(full).size, sha256: await sha256OfFile(full) });
    }
    const unsigned: UnsignedManifest = {
      format: MANIFEST_FORMAT,
      createdAt: started.toISOString(),
      tool: toolVersion(),
      backend: options.backendKind,
      source: { dataDir: options.dataDir, host: os.hostname() },
      ledger: described.ledger,
      verification: described.verification,
      signingKey: {
        keyId: options.key.keyId,
        publicKeyPem: options.key.publicKeyPem,
        included: options.passphrase !== undefined ? 'encrypted' : 'not-included',
        ...(options.passphrase !== undefined ? { file: ENCRYPTED_KEY_FILE } : {}),
        keptAt: options.keyKeptAt,
      },
      files,
    };
    const manifest = signManifest(options.key, unsigned);
    writeFileDurably(path.join(partial, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    fsyncDir(partial);
    const directory = path.join(options.to, name);
    fs.renameSync(partial, directory);
    fsyncDir(options.to);
    const bytes = files.reduce((sum, f) => sum + f.bytes, 0);
    return { directory, manifest, bytes, seconds: (performance.now() - startedMs) / 1000 };
  } catch (error) {
    fs.rmSync(partial, { recursive: true, force: true });
    throw asTargetFull(error, { where: options.to, doing: 'backing up', left: 'the partial copy was removed' });
  }
};

type Described =
  { ok: true; ledger: UnsignedManifest['ledger']; verification: UnsignedManifest['verification'] } | { ok: false; failure: string };

/** Verifies the copy exactly as `ledger verify` verifies a ledger, and reads what the manifest says about it. */
const verifyAndDescribe = async (options: TakeBackupOptions, dataCopy: string, say: (line: string) => void): Promise<Described> => {
  const copy = await options.source.openCopy(dataCopy);
  try {
    const integrity = createLedgerIntegrity({
      integrity: copy.integrity,
      events: copy.events,
      key: { publicKey: options.key.publicKey, publicKeyPem: options.key.publicKeyPem, keyId: options.key.keyId },
      keptCheckpointFile: path.join(dataCopy, KEPT_CHECKPOINT_FILE),
    });
    const report = await integrity.verify().finally(() => integrity.close());
    if (!report.ok) return { ok: false, failure: `${report.failure?.kind}: ${report.failure?.message}` };
    say(
      `verified the copy: ${report.eventsChecked} events, ${report.streamsChecked} streams, ${report.checkpointsChecked} checkpoints` +
        (report.keptCheckpoints?.length ? `, against the kept checkpoint` : ''),
    );
    const chainHeads = [];
    for await (const head of copy.integrity.streamHeads())
      chainHeads.push({ stream: head.stream, revision: head.revision.toString(), hash: head.hash });
    const head = await copy.events.headPosition();
    return {
      ok: true,
      ledger: {
        events: await copy.events.count(),
        headPosition: head === undefined ? null : head.toString(),
        latestCheckpoint: (await copy.integrity.checkpoints.latest()) ?? null,
        chainHeads,
      },
      verification: {
        ok: true,
        at: new Date().toISOString(),
        eventsChecked: report.eventsChecked,
        streamsChecked: report.streamsChecked,
        checkpointsChecked: report.checkpointsChecked,
        ...(report.rootHash ? { rootHash: report.rootHash } : {}),
      },
    };
  } finally {
    await copy.close();
  }
};
