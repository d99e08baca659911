import type { RecordedEvent } from '@kurrent/kurrentdb-client';
import { v5 as uuidv5 } from 'uuid';
import { Checkpoint } from '../checkpoint.ts';
import { CheckpointRefused } from '../errors.ts';
import type { CheckpointStore } from '../port.ts';
import type { Engine } from '../../store/kurrentdb/engine-client.ts';
import { openMetaStream } from '../../store/kurrentdb/meta-stream.ts';

export const CHECKPOINT_TYPE = 'LedgerCheckpointSigned';
/** A fixed namespace for checkpoint event ids (a random v4 uuid chosen once for this purpose). */
const CHECKPOINT_NAMESPACE = '3b8e5d1a-9c47-4f0e-8a26-61d4f2b7c905';

/** Called when a second root is offered for a tree size already signed: a fork alarm. */
export type ForkAlarm = (message: string, stored: Checkpoint, offered: Checkpoint) => void;

/** The default alarm: one loud line on stderr, wherever the process logs go. */
const alarmOnStderr: ForkAlarm = (message) => console.error(`FORK ALARM: ${message}`);

const decode = (record: RecordedEvent): Checkpoint => {
  const parsed = record.type === CHECKPOINT_TYPE ? Checkpoint.safeParse(record.data) : undefined;
  if (!parsed?.success) throw new Error(`event ${record.id} in ${record.streamId} is not a signed checkpoint`);
  return parsed.data;
};

/** The whole signed checkpoint names the event: a resend is recognised, another signature is not. */
const toEvent = (checkpoint: Checkpoint) => ({
  id: uuidv5(`checkpoint:${checkpoint.treeSize}:${checkpoint.rootHash}:${checkpoint.signature}`, CHECKPOINT_NAMESPACE),
  contentType: 'application/json' as const,
  type: CHECKPOINT_TYPE,
  data: { ...checkpoint },
  metadata: undefined,
});

/** Two different roots signed for one tree size, found in the stored series: the ledger was forked, or a signer lied. */
export class CheckpointFork extends CheckpointRefused {}

const forkMessage = (stored: Checkpoint, offered: Checkpoint) =>
  `two different roots are signed for the first ${stored.treeSize} events: ${stored.rootHash} (stored, key ${stored.keyId}) ` +
  `and ${offered.rootHash} (key ${offered.keyId}): the ledger was forked or rewritten; investigate before signing again`;

/**
 * Signed checkpoints in the engine, in `ledger-meta:checkpoints`: one series for every
 * instance, at most one per tree size. An insert is appended with the exact revision it was
 * checked against, so two instances signing the same size at once cannot both add one: the
 * later re-reads the series, finds the other's, and adds nothing (either signature stands,
 * both are valid). A second, different root for a size already signed is refused too, and
 * raises the fork alarm: the instances disagree about the ledger's history, which no one may
 * resolve silently (the signer then also refuses to sign, see checkpoint-signer.ts). A series
 * that holds two roots for one size (written past this adapter) is refused on every read.
 */
export const openCheckpointStream = (
  { client, address, names }: Engine,
  onFork: ForkAlarm = alarmOnStderr,
): CheckpointStore & { refresh(): Promise<void> } => {
  const series = openMetaStream({ client, address, stream: names.checkpoints, decode });
  const sorted = async () => {
    await series.refresh();
    const all = series.items();
    // A series written past this adapter must not be served as sound.
    const roots = new Map<number, Checkpoint>();
    for (const c of all) {
      const seen = roots.get(c.treeSize);
      if (seen && seen.rootHash !== c.rootHash) throw new CheckpointFork(forkMessage(seen, c));
      roots.set(c.treeSize, seen ?? c);
    }
    return [...all].sort((a, b) => a.treeSize - b.treeSize);
  };
  return {
    refresh: () => series.refresh(),
    all: () => sorted(),
    page: async (after, limit) => (await sorted()).filter((c) => BigInt(c.treeSize) > after).slice(0, limit),
    latest: async () => (await sorted()).at(-1),
    covering: async (size) => (await sorted()).find((c) => BigInt(c.treeSize) >= size),
    insert: (checkpoint) =>
      series.update((current) => {
        const same = current.find((c) => c.treeSize === checkpoint.treeSize);
        if (same && same.rootHash !== checkpoint.rootHash) onFork(forkMessage(same, checkpoint), same, checkpoint);
        if (same) return { events: [], result: false };
        return { events: [toEvent(checkpoint)], result: true };
      }),
    // The series' latest is checked against the revision the append expects: another instance's checkpoint in between refuses it.
    append: (checkpoint) =>
      series.update((current) => {
        const latest = current.reduce<Checkpoint | undefined>((top, c) => (top && top.treeSize >= c.treeSize ? top : c), undefined);
        if ((latest?.treeSize ?? 0) !== (checkpoint.previous?.treeSize ?? 0)) return { events: [], result: false };
        return { events: [toEvent(checkpoint)], result: true };
      }),
  };
};
