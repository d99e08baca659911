import { asAppended, type StoredEvent } from '../../events/envelope.ts';
import { GENESIS_HASH, hashEvent } from '../integrity/event-hash.ts';
import { fromHex, leafHash } from '../integrity/merkle.ts';
import { CompactRange } from '../integrity/merkle-proofs.ts';
import type { StreamHead } from '../integrity/port.ts';
import { CopyRefused } from './copy-refused.ts';

/**
 * The copy's own check of the source, event by event in ledger order, just before each event
 * is appended to the target: its hash recomputed from the event and its stream predecessor
 * (what the target will compute), no revision skipped, recordedAt never earlier than the
 * event before it, and the Merkle frontier of everything checked so far (roots at
 * checkpoints). The source was verified as a whole before the copy began; this catches what
 * changed since, so nothing is carried over on the strength of a stale check.
 */
export class SourceChain {
  #heads = new Map<string, { revision: bigint; hash: string }>();
  #range = new CompactRange();
  #lastRecordedAt: string | undefined;

  constructor(
    /**
     * The source's event at `revision` of `stream`, for a stream begun before a resumed copy's
     * first position (that prefix was verified, and found to be the target's).
     */
    private readonly earlier: (stream: string, revision: bigint) => Promise<Pick<StreamHead, 'revision' | 'hash'> | undefined>,
    /**
     * Which sides keep each stamp as given and read it at the ledger time (EventStore.stampsKept). When
     * both do, an event stamped before the one ahead of it copies unchanged and answers every asOf as in
     * the source. Otherwise it is refused: the embedded store would record it at the later time (another
     * hash), and KurrentDB would answer an asOf in that stretch otherwise than an embedded source, which
     * searches the stamps themselves.
     */
    private readonly stampsKept: { source: boolean; target: boolean } = { source: false, target: false },
  ) {}

  /** Events checked (or taken over from a verified prefix): the next position expected. */
  get size(): bigint {
    return BigInt(this.#range.size);
  }

  /** Takes over the prefix a resumed copy found already in the target, identical to the source's. */
  takeOverLeaf(hash: string): void {
    this.#range.push(leafHash(fromHex(hash)));
  }

  /** The recordedAt of the last event before the next one to check (a resumed copy's last copied event). */
  takeOverTime(recordedAt: string): void {
    this.#lastRecordedAt = recordedAt;
  }

  /** The Merkle root of every event checked so far. */
  root(): Buffer {
    return this.#range.root();
  }

  /** Checks the next source event; throws CopyRefused naming it if it may not be carried over. */
  async check(event: StoredEvent): Promise<void> {
    const { stream, revision, position } = event;
    const where = `the source's event at position ${position} (stream ${stream}, revision ${revision}, id ${event.eventId})`;
    if (position !== this.size)
      throw new CopyRefused(
        'source-event-altered',
        `the source has no event at position ${this.size}: it read ${where} instead`,
        this.size,
      );
    if (typeof event.hash !== 'string' || event.hash.length !== 64)
      throw new CopyRefused('source-event-altered', `${where} has no chain hash`, position);
    const previous = this.#heads.get(stream) ?? (revision > 0n ? await this.earlier(stream, revision - 1n) : undefined);
    const expectedRevision = previous === undefined ? 0n : previous.revision + 1n;
    if (revision !== expectedRevision)
      throw new CopyRefused(
        'source-event-altered',
        `${where} follows revision ${previous?.revision ?? 'none'} of its stream: events are missing or out of order`,
        position,
      );
    const hash = hashEvent(asAppended(event), { stream, revision, previousHash: previous?.hash ?? GENESIS_HASH });
    if (hash !== event.hash)
      throw new CopyRefused(
        'source-event-altered',
        `${where} does not match its chain hash: it was changed after it was recorded (stored ${event.hash}, recomputed ${hash})`,
        position,
      );
    const { source, target } = this.stampsKept;
    if (!(source && target) && this.#lastRecordedAt !== undefined && event.recordedAt < this.#lastRecordedAt)
      throw new CopyRefused(
        'source-time-decreases',
        `${where} was recorded at ${event.recordedAt}, before the event ahead of it (${this.#lastRecordedAt}): ` +
          (target
            ? 'the target reads an asOf by the latest time so far, the source by each stamp, so they would answer some instants differently'
            : 'the target would record it at the later time, which changes its hash'),
        position,
      );
    this.#lastRecordedAt = event.recordedAt;
    this.#heads.set(stream, { revision, hash });
    this.#range.push(leafHash(fromHex(hash)));
  }
}
