import type { IntegrityStore } from '../integrity/port.ts';
import { CopyRefused } from './copy-refused.ts';

/** Compared in pages: one read per this many copied events, not one per append. */
const PAGE = 2000;

/**
 * The chain hashes the target computed for what was appended to it, compared with the
 * source's: the two backends hash with the same function, so any difference means the target
 * stored something else (another recordedAt, another predecessor) and the copy must stop.
 */
export class TargetHashes {
  #from = 0n;
  #expected: string[] = [];

  constructor(private readonly target: Pick<IntegrityStore, 'leafHashes'>) {}

  /** The source's hash of the event just appended at `position`. */
  async expect(position: bigint, hash: string): Promise<void> {
    if (this.#expected.length === 0) this.#from = position;
    this.#expected.push(hash);
    if (this.#expected.length >= PAGE) await this.check();
  }

  /** Compares everything expected so far with what the target holds. */
  async check(): Promise<void> {
    const expected = this.#expected;
    const from = this.#from;
    this.#expected = [];
    this.#from += BigInt(expected.length);
    if (expected.length === 0) return;
    const stored = await this.target.leafHashes(from, expected.length);
    expected.forEach((hash, i) => {
      const position = from + BigInt(i);
      const leaf = stored[i];
      if (leaf?.position !== position || leaf.hash !== hash)
        throw new CopyRefused(
          'target-diverged',
          `the target holds ${leaf?.position === position ? `hash ${leaf.hash}` : 'no event'} at position ${position}, ` +
            `where the source's event has hash ${hash}`,
          position,
        );
    });
  }
}
