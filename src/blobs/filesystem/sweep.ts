import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { BlobInfo, SweepOptions, SweepReport } from '../port.ts';
import { ensureDirectory, entriesOf, isMissing, syncDirectory } from './durable-fs.ts';

interface Layout {
  root: string;
  stagingDir: string;
  blobPath: (sha256: string) => string;
  shardOf: (sha256: string) => string;
  list: () => AsyncIterable<BlobInfo>;
}

/**
 * Removes unreferenced blobs without racing an upload of the same content. An upload commits
 * by renaming its staged copy over the blob's name with a fresh modification time, then appends
 * its event. A sweep never unlinks by name: it first renames the blob aside (atomic; it now
 * holds whichever copy was in place), then looks at the copy it holds. Still old: no upload
 * committed it since the sweep looked, so it goes. Fresh: an upload put it back and may be
 * about to reference it, so it is renamed back. Whatever a crash interrupts, the blob is in
 * place or in sweeping/, and every sweep starts by putting back what sweeping/ holds.
 *
 * Several instances may sweep one shared store at once: a blob another sweep moved first is
 * simply not there for this one.
 */
export const sweepFilesystemBlobs = async (layout: Layout, options: SweepOptions): Promise<SweepReport> => {
  const sweepingDir = path.join(layout.root, 'sweeping');
  await ensureDirectory(sweepingDir, layout.root);
  await putBackInterrupted(layout, sweepingDir);
  const report: SweepReport = {
    removed: [],
    abandonedStaged: await removeAbandonedStaged(layout.stagingDir, options.storedBefore),
    keptAfterRecommit: 0,
  };
  const candidates: string[] = [];
  for await (const blob of layout.list()) if (blob.storedAt < options.storedBefore) candidates.push(blob.sha256);
  for (const sha256 of candidates) {
    if (await options.isReferenced(sha256)) continue;
    const aside = path.join(sweepingDir, `${sha256}.${randomUUID()}.tmp`);
    try {
      await fs.rename(layout.blobPath(sha256), aside);
    } catch (error) {
      if (isMissing(error)) continue; // another sweep, or an erasure, took it first
      throw error;
    }
    const held = await fs.stat(aside);
    if (held.mtime >= options.storedBefore) {
      // An upload committed these bytes after the sweep listed them: they stay.
      await fs.rename(aside, layout.blobPath(sha256));
      await syncDirectory(layout.shardOf(sha256));
      report.keptAfterRecommit++;
      continue;
    }
    await fs.unlink(aside);
    report.removed.push(sha256);
  }
  if (report.removed.length > 0) {
    for (const shard of new Set(report.removed.map(layout.shardOf))) await syncDirectory(shard);
    await syncDirectory(sweepingDir);
  }
  return report;
};

/** A sweep that stopped half-way leaves blobs aside: each goes back unless its name was taken again meanwhile. */
const putBackInterrupted = async (layout: Layout, sweepingDir: string) => {
  for (const name of await entriesOf(sweepingDir)) {
    const sha256 = name.slice(0, 64);
    const aside = path.join(sweepingDir, name);
    try {
      await fs.stat(layout.blobPath(sha256));
      await fs.rm(aside, { force: true });
    } catch (error) {
      if (!isMissing(error)) throw error;
      await ensureDirectory(layout.shardOf(sha256), path.dirname(layout.shardOf(sha256)));
      await fs.rename(aside, layout.blobPath(sha256));
      await syncDirectory(layout.shardOf(sha256));
    }
  }
};

/** Staged files last written before the cut-off belong to uploads that died (a request cannot last that long). */
const removeAbandonedStaged = async (stagingDir: string, storedBefore: Date): Promise<number> => {
  let removed = 0;
  for (const name of await entriesOf(stagingDir)) {
    const file = path.join(stagingDir, name);
    try {
      if ((await fs.stat(file)).mtime < storedBefore) {
        await fs.unlink(file);
        removed++;
      }
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }
  return removed;
};
