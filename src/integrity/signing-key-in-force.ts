import path from 'node:path';
import type { Actor } from '../../events/envelope.ts';
import type { EventStore } from '../store/port.ts';
import type { Checkpoint } from './checkpoint.ts';
import { currentKeyId, keyChain, readKeyHistory, type RecordedRotation } from './key-history.ts';
import { recordRotation } from './key-history-record.ts';
import { operatorRotation } from './key-rotation.ts';
import type { CheckpointStore } from './port.ts';
import { DEFAULT_KEY_FILE, loadSigningKey, NoSigningKey, type LedgerSigningKey, type SigningKeySource } from './signing-key.ts';

/** The service will not start with this key: the message is one line for the operator. */
export class SigningKeyRefused extends Error {}

/** The `serve` flag that starts a new key on purpose when the ledger's key is lost. */
export const NEW_KEY_FLAG = '--new-signing-key';

export interface KeyInForceOptions {
  source: SigningKeySource;
  events: Pick<EventStore, 'readStream' | 'append'>;
  checkpoints: Pick<CheckpointStore, 'latest'>;
  /** Given with NEW_KEY_FLAG: the operator's reason to make this key (or a new one) the ledger's, replacing a lost key. */
  replaceLostKey?: string | undefined;
  operator: Actor;
  clock?: () => Date;
}

export interface KeyInForce {
  key: LedgerSigningKey;
  /** The file a new key was written to, when one was generated. */
  generated?: string;
  /** The rotation recorded now, when the operator replaced a lost key. */
  rotation?: RecordedRotation;
}

/** What the ledger records of the lost key's public half, if anything carries it. */
const lostKey = (keyId: string, rotations: RecordedRotation[], latest: Checkpoint | undefined) => ({
  keyId,
  publicKey:
    (rotations.at(-1)?.to.keyId === keyId ? rotations.at(-1)!.to.publicKey : undefined) ??
    (latest?.keyId === keyId ? latest.publicKey : undefined) ??
    null,
});

/**
 * The signing key `serve` starts with, held against the ledger: a new ledger gets a new key;
 * a ledger with checkpoints needs the key it signs with now. A missing key, or one the ledger
 * never recorded, stops the start with one line, unless the operator asks for a new key on
 * purpose: then the change is recorded in the ledger as an operator's rotation, visibly
 * marked as made without the old key. A key the ledger has retired is refused either way.
 */
export const openSigningKeyInForce = async (options: KeyInForceOptions): Promise<KeyInForce> => {
  const { source } = options;
  const where = source.pem ? 'LEDGER_SIGNING_KEY' : (source.file ?? path.join(source.dataDir, DEFAULT_KEY_FILE));
  let loaded: LedgerSigningKey | undefined;
  try {
    loaded = loadSigningKey({ ...source, generate: false }).key;
  } catch (error) {
    if (!(error instanceof NoSigningKey)) throw error;
  }
  const { rotations } = await readKeyHistory(options.events);
  const latest = await options.checkpoints.latest();
  const current = currentKeyId(rotations, latest);
  const replace = async (key: LedgerSigningKey): Promise<RecordedRotation> => {
    const clock = options.clock ?? (() => new Date());
    const now = clock();
    const rotation = operatorRotation(lostKey(current!, rotations, latest), key, now.toISOString(), options.replaceLostKey!);
    return recordRotation(options.events, rotation, rotations, options.operator, now, clock);
  };

  if (!loaded) {
    // A new ledger, or one never signed: its first key.
    if (current === undefined) return loadSigningKey({ ...source, generate: true });
    if (options.replaceLostKey === undefined) {
      throw new SigningKeyRefused(
        `the ledger's signing key is missing: there is no ${where}, but the ledger's checkpoints are signed by key ${current}` +
          `${latest ? ` (the latest over ${latest.treeSize} events)` : ''}. Restore the key from your backup, or start a new key ` +
          `on purpose with ` +
          `\`ledger serve ${NEW_KEY_FLAG}\`, which records in the ledger that key ${current} was lost`,
      );
    }
    const { key, generated } = loadSigningKey({ ...source, generate: true });
    return { key, ...(generated ? { generated } : {}), rotation: await replace(key) };
  }
  if (current === undefined || current === loaded.keyId) return { key: loaded };
  const retiredAt = rotations.find((r) => r.from.keyId === loaded.keyId);
  if (retiredAt && keyChain(rotations).includes(loaded.keyId)) {
    throw new SigningKeyRefused(
      `the signing key at ${where} is key ${loaded.keyId}, which the ledger retired at position ${retiredAt.position} ` +
        `(${retiredAt.rotatedAt}) ` +
        `in favour of key ${retiredAt.to.keyId}; the current key is ${current}: start with that one`,
    );
  }
  if (options.replaceLostKey === undefined) {
    throw new SigningKeyRefused(
      `the signing key at ${where} is key ${loaded.keyId}, but the ledger's checkpoints are signed by key ${current} and it ` +
        `records no change to ${loaded.keyId}: ` +
        `restore the ledger's key, or, if key ${current} is lost, start with \`ledger serve ${NEW_KEY_FLAG}\` to record ` +
        `${loaded.keyId} as its replacement`,
    );
  }
  return { key: loaded, rotation: await replace(loaded) };
};
