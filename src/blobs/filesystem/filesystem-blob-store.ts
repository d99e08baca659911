import { createHash, randomUUID } from 'node:crypto';
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { BlobHashMismatch, BlobTooLarge, isSha256, type BlobInfo, type BlobStore, type StagedBlob } from '../port.ts';
import { ensureDirectory, entriesOf, isMissing, syncDirectory } from './durable-fs.ts';
import { sweepFilesystemBlobs } from './sweep.ts';

/**
 * The blob store on a filesystem: the default under the data directory (`<data dir>/evidence`),
 * or any directory every instance mounts (LEDGER_EVIDENCE_DIR on a shared volume: NFS, EFS, a
 * Kubernetes ReadWriteMany volume), since everything it does is a rename or an unlink that
 * such filesystems make atomic. Layout:
 *
 *   sha256/ab/abcd…   the blobs, sharded by their first two hex digits, never rewritten
 *   staging/*.tmp     uploads being written (named .tmp so copies of the folder skip them)
 *   sweeping/*.tmp    blobs a sweep is deciding about (put back if an upload needs them)
 *
 * Files are 0640 and folders 0750: evidence may hold patient-identifiable information.
 */
/** Where a blob lies under the store's root: `sha256/ab/abcd…` (a backup lists its files by these paths). */
export const blobPathUnderRoot = (sha256: string) => path.join('sha256', sha256.slice(0, 2), sha256);

export const openFilesystemBlobStore = (root: string): BlobStore => {
  const blobsDir = path.join(root, 'sha256');
  const stagingDir = path.join(root, 'staging');
  const shardOf = (sha256: string) => path.join(blobsDir, sha256.slice(0, 2));
  const blobPath = (sha256: string) => path.join(shardOf(sha256), sha256);

  const ready = async () => {
    await fs.mkdir(root, { recursive: true, mode: 0o750 });
    await ensureDirectory(blobsDir, root);
  };

  const infoOf = async (sha256: string): Promise<BlobInfo | undefined> => {
    if (!isSha256(sha256)) return undefined;
    try {
      const s = await fs.stat(blobPath(sha256));
      return { sha256, size: s.size, storedAt: s.mtime };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  };

  const stage = async (source: AsyncIterable<Uint8Array>, { maxBytes }: { maxBytes: number }): Promise<StagedBlob> => {
    await ready();
    await ensureDirectory(stagingDir, root);
    const file = path.join(stagingDir, `${randomUUID()}.tmp`);
    const handle = await fs.open(file, 'wx', 0o640);
    const hash = createHash('sha256');
    let size = 0;
    try {
      for await (const chunk of source) {
        size += chunk.byteLength;
        if (size > maxBytes) throw new BlobTooLarge(maxBytes);
        hash.update(chunk);
        await handle.write(chunk);
      }
      // Flushed before anyone may rely on it: the commit only renames.
      await handle.sync();
    } catch (error) {
      await handle.close();
      await fs.rm(file, { force: true });
      throw error;
    }
    await handle.close();
    const sha256 = hash.digest('hex');
    let committedAt: Date | undefined;
    return {
      sha256,
      size,
      file,
      commit: async () => {
        if (committedAt) return committedAt;
        const shard = shardOf(sha256);
        await ensureDirectory(shard, blobsDir);
        const now = new Date();
        // Its age starts now, whatever the bytes' write time: a sweep measures a blob's age by this.
        await fs.utimes(file, now, now);
        await fs.rename(file, blobPath(sha256));
        await syncDirectory(shard);
        committedAt = now;
        return now;
      },
      discard: async () => {
        if (!committedAt) await fs.rm(file, { force: true });
      },
    };
  };

  return {
    description: `evidence files in ${root}`,
    stage,
    stat: infoOf,
    async open(sha256: string): Promise<Readable | undefined> {
      if (!isSha256(sha256)) return undefined;
      try {
        const handle = await fs.open(blobPath(sha256), 'r');
        return handle.createReadStream();
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
    list: () => listBlobs(blobsDir, infoOf),
    async remove(sha256: string): Promise<boolean> {
      if (!isSha256(sha256)) return false;
      // A sweep deciding about these bytes right now must not put them back.
      for (const name of await entriesOf(path.join(root, 'sweeping')))
        if (name.startsWith(`${sha256}.`)) await fs.rm(path.join(root, 'sweeping', name), { force: true });
      try {
        await fs.unlink(blobPath(sha256));
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
      await syncDirectory(shardOf(sha256));
      return true;
    },
    async restore(sha256: string, source: AsyncIterable<Uint8Array>): Promise<BlobInfo> {
      const staged = await stage(source, { maxBytes: Number.MAX_SAFE_INTEGER });
      if (staged.sha256 !== sha256) {
        await staged.discard();
        throw new BlobHashMismatch(sha256, staged.sha256);
      }
      const storedAt = await staged.commit();
      return { sha256, size: staged.size, storedAt };
    },
    sweep: async (options) => {
      if (!fsSync.existsSync(root)) return { removed: [], abandonedStaged: 0, keptAfterRecommit: 0 };
      return sweepFilesystemBlobs({ root, stagingDir, blobPath, shardOf, list: () => listBlobs(blobsDir, infoOf) }, options);
    },
  };
};

/** Every blob under sha256/, skipping anything that is not a blob's name in its own shard. */
async function* listBlobs(blobsDir: string, infoOf: (sha256: string) => Promise<BlobInfo | undefined>): AsyncIterable<BlobInfo> {
  for (const shard of await entriesOf(blobsDir)) {
    if (!/^[0-9a-f]{2}$/.test(shard)) continue;
    for (const name of await entriesOf(path.join(blobsDir, shard))) {
      if (!isSha256(name) || !name.startsWith(shard)) continue;
      const info = await infoOf(name);
      if (info) yield info;
    }
  }
}
