import type { KeyObject } from 'node:crypto';
import type { EventStore } from '../store/port.ts';
import { checkpointKey, type Checkpoint } from './checkpoint.ts';
import { KEY_HISTORY_STREAM, KEY_ROTATED, KeyRotation, rotationKey } from './key-rotation.ts';
import { keyIdOf } from './signing-key.ts';

/** A rotation as the ledger recorded it: at `position`, so it governs every tree that holds it (treeSize > position). */
export type RecordedRotation = KeyRotation & { position: bigint };

/** A record in the key stream that is not a rotation this build can read: verify names it. */
export interface UnreadableRotation {
  position: bigint;
  problem: string;
}

export interface KeyHistory {
  rotations: RecordedRotation[];
  unreadable?: UnreadableRotation;
}

/** The ledger's key history: every rotation recorded in its key stream, in order. */
export const readKeyHistory = async (events: Pick<EventStore, 'readStream'>, before?: bigint): Promise<KeyHistory> => {
  const rotations: RecordedRotation[] = [];
  for await (const event of events.readStream(KEY_HISTORY_STREAM)) {
    if (before !== undefined && event.position >= before) break;
    const parsed = KeyRotation.safeParse(event.data);
    if (event.type !== KEY_ROTATED || !parsed.success) {
      return { rotations, unreadable: { position: event.position, problem: `${event.type} is not a key rotation this build can read` } };
    }
    rotations.push({ ...parsed.data, position: event.position });
  }
  return { rotations };
};

/** The key ids the ledger has signed with, in order: the first key, then each rotation's new key. */
export const keyChain = (rotations: RecordedRotation[]): string[] =>
  rotations.length === 0 ? [] : [rotations[0]!.from.keyId, ...rotations.map((r) => r.to.keyId)];

/** The key that must sign a checkpoint of `treeSize` events: the newest rotation the tree holds decides; undefined without rotations. */
export const keyAt = (rotations: RecordedRotation[], treeSize: number): string | undefined => {
  if (rotations.length === 0) return undefined;
  let keyId = rotations[0]!.from.keyId;
  for (const r of rotations) if (r.position < BigInt(treeSize)) keyId = r.to.keyId;
  return keyId;
};

/** The ledger's current key by its own records: the newest rotation's, else whoever signed the latest checkpoint. */
export const currentKeyId = (rotations: RecordedRotation[], latest: Checkpoint | undefined): string | undefined =>
  rotations.at(-1)?.to.keyId ?? latest?.keyId;

/**
 * Public keys by key id, from whatever carries them with a matching id: the key the caller
 * trusts, the rotation records, and the checkpoints that carry their own key (v2).
 */
export const knownPublicKeys = (
  trusted: KeyObject | undefined,
  rotations: RecordedRotation[],
  checkpoints: Checkpoint[],
): Map<string, KeyObject> => {
  const keys = new Map<string, KeyObject>();
  const add = (key: KeyObject | undefined) => {
    if (key && !keys.has(keyIdOf(key))) keys.set(keyIdOf(key), key);
  };
  add(trusted);
  for (const r of rotations) {
    add(rotationKey(r.from));
    add(rotationKey(r.to));
  }
  for (const c of checkpoints) add(checkpointKey(c, keyIdOf));
  return keys;
};
