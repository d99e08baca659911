import { planIdOfStream } from '../../events/streams.ts';
import { BlobHashMismatch, type BlobStore } from '../blobs/port.ts';
import type { EventStore } from '../store/port.ts';
import type { CopyPart } from './copy-part.ts';
import { CopyRefused } from './copy-refused.ts';

/** The files the source's events attach and have not erased, by sha256 with their recorded size. */
const liveFiles = async (events: Pick<EventStore, 'readAll'>): Promise<Map<string, number>> => {
  const files = new Map<string, number>();
  const erased = new Set<string>();
  for await (const event of events.readAll()) {
    if (planIdOfStream(event.stream) === undefined) continue;
    if (event.type === 'EvidenceFileAttached') {
      const file = event.data['file'] as { sha256: string; size: number };
      files.set(file.sha256, file.size);
    } else if (event.type === 'EvidenceErased') erased.add(event.data['sha256'] as string);
  }
  for (const sha256 of erased) files.delete(sha256);
  return files;
};

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * The evidence files: every file the source's events attach and have not erased, carried by its
 * sha256 through the blob-store port (the target refuses bytes that are not that hash's), so any
 * two stores can be copied between. Files the target already holds are left (a resumed copy, or
 * one store shared by both); erased content is never carried. Verified by presence at the
 * recorded size, the hash having been checked as each file was written.
 */
export const evidenceFilesPart = (source: { events: Pick<EventStore, 'readAll'>; blobs: BlobStore }, target: BlobStore): CopyPart => ({
  name: 'evidence files',
  async copy() {
    let copied = 0;
    let bytes = 0;
    let present = 0;
    for (const [sha256, size] of await liveFiles(source.events)) {
      if ((await target.stat(sha256))?.size === size) {
        present++;
        continue;
      }
      const stream = await source.blobs.open(sha256);
      if (!stream)
        throw new CopyRefused(
          'verification-failed',
          `evidence file ${sha256} is recorded in the source but missing from its store (${source.blobs.description}): ` +
            'restore it from a backup (ledger verify names every such file), then run the copy again',
        );
      try {
        await target.restore(sha256, stream);
      } catch (error) {
        if (!(error instanceof BlobHashMismatch)) throw error;
        throw new CopyRefused(
          'verification-failed',
          `evidence file ${sha256} in the source's store was altered (${error.message}): nothing of it was copied`,
        );
      }
      copied++;
      bytes += size;
    }
    return `${copied} files (${megabytes(bytes)}) copied, ${present} already there`;
  },
  async verify() {
    const files = await liveFiles(source.events);
    for (const [sha256, size] of files) {
      const held = await target.stat(sha256);
      if (held?.size !== size)
        throw new CopyRefused('verification-failed', `the target's store (${target.description}) lacks evidence file ${sha256}`);
    }
    return `all ${files.size} in the target`;
  },
});
