import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobHashMismatch, BlobTooLarge, type BlobStore } from '../../src/blobs/port.ts';

/** One blob store for one test, with a way to see what it left on its medium. */
export interface BlobStoreTarget {
  store: BlobStore;
  /** Files the store keeps besides its blobs (staged, set aside): a refused upload must leave none. */
  leftovers(): Promise<string[]>;
  /** Simulates a sweep that stopped after setting a blob aside (a crash between its rename and its decision). */
  setAside(sha256: string): Promise<void>;
  dispose(): Promise<void>;
}

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const chunks = (bytes: Buffer, size = 7000) =>
  Readable.from(Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size)));
const readAll = async (stream: Readable | undefined) => {
  if (!stream) return undefined;
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
};
const all = async (store: BlobStore) => {
  const found = [];
  for await (const blob of store.list()) found.push(blob.sha256);
  return found.sort();
};
const future = () => new Date(Date.now() + 60_000);

/** The blob-store contract, written once for every implementation of the port. */
export const describeBlobStoreContract = (name: string, factory: () => Promise<BlobStoreTarget>): void => {
  describe(`BlobStore contract: ${name}`, () => {
    let target: BlobStoreTarget;
    beforeEach(async () => {
      target = await factory();
    });
    afterEach(async () => target.dispose());

    const put = async (bytes: Buffer) => {
      const staged = await target.store.stage(chunks(bytes), { maxBytes: 1 << 24 });
      await staged.commit();
      return staged;
    };

    it('stores bytes under their sha256 and gives them back unchanged', async () => {
      const bytes = randomBytes(100_000);
      const staged = await put(bytes);
      expect(staged).toMatchObject({ sha256: sha(bytes), size: bytes.length });
      expect(await target.store.stat(sha(bytes))).toMatchObject({ sha256: sha(bytes), size: bytes.length });
      expect((await readAll(await target.store.open(sha(bytes))))!.equals(bytes)).toBe(true);
      expect(await all(target.store)).toEqual([sha(bytes)]);
      expect(await target.leftovers()).toEqual([]);
    });

    it('keeps the same content once, and a second commit makes it young again', async () => {
      const bytes = randomBytes(5000);
      await put(bytes);
      const first = (await target.store.stat(sha(bytes)))!.storedAt;
      await new Promise((resolve) => setTimeout(resolve, 20));
      await put(bytes);
      expect(await all(target.store)).toEqual([sha(bytes)]);
      expect((await target.store.stat(sha(bytes)))!.storedAt.getTime()).toBeGreaterThan(first.getTime());
    });

    it('refuses more bytes than the limit and keeps nothing of them', async () => {
      await expect(target.store.stage(chunks(randomBytes(50_000)), { maxBytes: 49_999 })).rejects.toBeInstanceOf(BlobTooLarge);
      expect(await all(target.store)).toEqual([]);
      expect(await target.leftovers()).toEqual([]);
    });

    it('keeps nothing of a staged file that is discarded', async () => {
      const staged = await target.store.stage(chunks(randomBytes(1000)), { maxBytes: 1 << 20 });
      await staged.discard();
      expect(await all(target.store)).toEqual([]);
      expect(await target.leftovers()).toEqual([]);
    });

    it('answers nothing for a hash it does not hold, or for something that is not a hash', async () => {
      expect(await target.store.open('0'.repeat(64))).toBeUndefined();
      expect(await target.store.stat('../../etc/passwd')).toBeUndefined();
      expect(await target.store.open('../secret')).toBeUndefined();
    });

    it('removes a blob for good (an erasure), once', async () => {
      const bytes = randomBytes(3000);
      await put(bytes);
      expect(await target.store.remove(sha(bytes))).toBe(true);
      expect(await target.store.open(sha(bytes))).toBeUndefined();
      expect(await target.store.remove(sha(bytes))).toBe(false);
    });

    it('restores bytes under their known hash and refuses bytes that are not that hash', async () => {
      const bytes = randomBytes(4000);
      await expect(target.store.restore(sha(Buffer.from('other')), chunks(bytes))).rejects.toBeInstanceOf(BlobHashMismatch);
      expect(await all(target.store)).toEqual([]);
      expect(await target.leftovers()).toEqual([]);
      await target.store.restore(sha(bytes), chunks(bytes));
      expect((await readAll(await target.store.open(sha(bytes))))!.equals(bytes)).toBe(true);
    });

    it('sweeps blobs nothing references once they are old enough, and keeps the rest', async () => {
      const [kept, unreferenced, young] = [randomBytes(10), randomBytes(11), randomBytes(12)];
      await put(kept);
      await put(unreferenced);
      const cutOff = new Date(Date.now() + 5);
      await new Promise((resolve) => setTimeout(resolve, 20));
      await put(young);
      const abandoned = await target.store.stage(chunks(randomBytes(100)), { maxBytes: 1000 });
      const report = await target.store.sweep({ storedBefore: new Date(Date.now() + 60_000), isReferenced: (s) => s === sha(kept) });
      expect(report.removed.sort()).toEqual([sha(unreferenced), sha(young)].sort());
      expect(report.abandonedStaged).toBe(1);
      expect(await all(target.store)).toEqual([sha(kept)]);
      await abandoned.discard();
      // Young blobs stay whatever references them: their upload may be about to append its event.
      await put(young);
      expect((await target.store.sweep({ storedBefore: cutOff, isReferenced: (s) => s === sha(kept) })).removed).toEqual([]);
      expect(await all(target.store)).toEqual([sha(kept), sha(young)].sort());
    });

    it('keeps a blob an upload commits again while the sweep decides about it', async () => {
      const bytes = randomBytes(2000);
      await put(bytes);
      const cutOff = new Date(Date.now() + 5);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const report = await target.store.sweep({
        storedBefore: cutOff,
        // The sweep asked the ledger; meanwhile another upload of the same file commits it and appends its event.
        isReferenced: async () => {
          await put(bytes);
          return false;
        },
      });
      expect(report.removed).toEqual([]);
      expect(report.keptAfterRecommit).toBe(1);
      expect((await readAll(await target.store.open(sha(bytes))))!.equals(bytes)).toBe(true);
    });

    it('puts back a blob a crashed sweep left aside, before sweeping again', async () => {
      const bytes = randomBytes(2000);
      await put(bytes);
      await target.setAside(sha(bytes));
      expect(await target.store.open(sha(bytes))).toBeUndefined();
      await target.store.sweep({ storedBefore: new Date(0), isReferenced: () => true });
      expect((await readAll(await target.store.open(sha(bytes))))!.equals(bytes)).toBe(true);
      expect(await target.leftovers()).toEqual([]);
    });

    it('sweeps nothing referenced however old', async () => {
      const bytes = randomBytes(10);
      await put(bytes);
      expect((await target.store.sweep({ storedBefore: future(), isReferenced: () => true })).removed).toEqual([]);
      expect(await all(target.store)).toEqual([sha(bytes)]);
    });
  });
};
