import path from 'node:path';
import { blobPathUnderRoot, openFilesystemBlobStore } from '../blobs/filesystem/filesystem-blob-store.ts';
import type { BlobStore } from '../blobs/port.ts';
import type { BackupPart } from './port.ts';

/** Where the evidence files lie in a backup's copy of the data directory: the default place, so a restore puts them there. */
export const EVIDENCE_FOLDER = 'evidence';

/**
 * The evidence files, read through the blob-store port wherever they live (the data dir, or
 * LEDGER_EVIDENCE_DIR on a shared volume) and written into the backup's `evidence/` folder by
 * the same port, which refuses bytes that are not their hash's. Files are never rewritten, so
 * each is one consistent version; one removed while the backup runs (erased, or swept) is left
 * out, like any change after the backup started.
 */
export const evidenceFilesPart = (blobs: BlobStore): BackupPart => ({
  name: `the evidence files (${blobs.description})`,
  estimateBytes: async () => {
    let bytes = 0;
    for await (const blob of blobs.list()) bytes += blob.size;
    return bytes;
  },
  copyInto: async (dataCopyDir) => {
    const copy = openFilesystemBlobStore(path.join(dataCopyDir, EVIDENCE_FOLDER));
    const written: string[] = [];
    for await (const blob of blobs.list()) {
      const bytes = await blobs.open(blob.sha256);
      if (!bytes) continue;
      await copy.restore(blob.sha256, bytes);
      written.push(path.join(EVIDENCE_FOLDER, blobPathUnderRoot(blob.sha256)));
    }
    return written;
  },
});
