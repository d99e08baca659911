import { EvidenceFile } from '../../events/plan/evidence-file-attached.v1.ts';
import { BlobTooLarge, type BlobStore, type StagedBlob } from '../blobs/port.ts';
import { EvidenceRefused } from './evidence-refused.ts';
import { mediaTypeOf } from './media-type.ts';

export interface EvidenceSettings {
  /** The largest file accepted, in bytes. */
  maxBytes: number;
  /** How long an unreferenced blob is kept: an upload must record its event well within it. */
  graceMs: number;
}

/** An upload as it arrives, from any transport: its bytes, the name it came with, the type it was declared as. */
export interface IncomingFile {
  content: AsyncIterable<Uint8Array>;
  fileName: string | undefined;
  declaredType?: string | undefined;
}

/** A file checked and staged, not yet in place: what the AttachEvidenceFile command records, and how to put it in place. */
export interface ReceivedEvidenceFile {
  file: EvidenceFile;
  staged: StagedBlob;
  /**
   * The command's beforeAppend: puts the file durably in place, and refuses to let the event
   * be appended if that happened so long ago that a sweep could count the blob as abandoned.
   */
  commitBeforeAppend: () => Promise<void>;
}

/** A name the ledger cannot keep: absent, blank, too long, or with control characters. */
export const invalidFileName = () =>
  new EvidenceRefused(400, 'invalid-file-name', 'The file needs a name of 1 to 255 characters without control characters');

/**
 * The explicit bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): a name holding one is
 * shown in another order than it is written, so "report<U+202E>fdp.exe" reads as "reportexe.pdf" wherever it is listed.
 * Refused in a new file's name only: the marks (U+200E, U+200F) that right-to-left names need stay, and names already
 * recorded are shown as recorded.
 */
const REORDERING = /[\u202a-\u202e\u2066-\u2069]/u;
const reorderedFileName = () =>
  new EvidenceRefused(
    400,
    'invalid-file-name',
    "The file's name holds a character that changes the order it is shown in (U+202A–U+202E, U+2066–U+2069), so it " +
      'could show another name or extension than it has: rename the file without it',
  );

/** Upload transports raise their own error when a file passes their limit: they say so with this. */
export const tooLarge = (maxBytes: number) =>
  new EvidenceRefused(413, 'evidence-file-too-large', `The file is larger than ${maxBytes} bytes, the largest evidence file accepted`);

/**
 * Receives an evidence file: its name checked as data, its bytes staged and hashed (refused
 * past the size limit), an empty file refused, its type recognised from its content. A refused
 * file leaves nothing behind. The caller runs AttachEvidenceFile with `commitBeforeAppend`,
 * and discards the staged file whatever happens (a no-op once it was committed).
 */
export const receiveEvidenceFile = async (
  blobs: BlobStore,
  settings: EvidenceSettings,
  incoming: IncomingFile,
  clock: () => Date = () => new Date(),
): Promise<ReceivedEvidenceFile> => {
  const name = EvidenceFile.shape.fileName.safeParse(incoming.fileName);
  if (!name.success) throw invalidFileName();
  if (REORDERING.test(name.data)) throw reorderedFileName();
  let staged: StagedBlob;
  try {
    staged = await blobs.stage(incoming.content, { maxBytes: settings.maxBytes });
  } catch (error) {
    if (error instanceof BlobTooLarge) throw tooLarge(settings.maxBytes);
    throw error;
  }
  try {
    if (staged.size === 0) throw new EvidenceRefused(422, 'empty-file', 'The file is empty: there is nothing to keep as evidence');
    const mediaType = await mediaTypeOf(staged.file, incoming.declaredType);
    return {
      file: { sha256: staged.sha256, size: staged.size, mediaType, fileName: name.data },
      staged,
      commitBeforeAppend: async () => {
        const committedAt = await staged.commit();
        // Half the grace period: a sweep only looks at blobs older than all of it.
        if (clock().getTime() - committedAt.getTime() > settings.graceMs / 2)
          throw new Error('the evidence file was put in place too long ago to be referenced safely; upload it again');
      },
    };
  } catch (error) {
    await staged.discard();
    throw error;
  }
};
