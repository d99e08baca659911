import type { Multipart } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { badRequest, HttpProblem } from '../../api/http/problem.ts';
import type { BlobStore } from '../../blobs/port.ts';
import { EvidenceRefused } from '../../evidence/evidence-refused.ts';
import { keepFormField } from '../form-field.ts';
import {
  invalidFileName,
  receiveEvidenceFile,
  tooLarge,
  type EvidenceSettings,
  type ReceivedEvidenceFile,
} from '../../evidence/receive-evidence-file.ts';

/** An evidence refusal as the API's problem details. */
export const evidenceProblem = (error: EvidenceRefused) =>
  new HttpProblem({
    status: error.status,
    code: error.code,
    title:
      error.status === 413 ? 'File too large' : error.status === 415 ? 'Unsupported media type' : 'The file cannot be kept as evidence',
    detail: error.message,
  });

/**
 * The multipart limits of an upload: a few short fields, and no byte past the size limit read. Two files, not one: the
 * second reaches readUpload, which refuses it as 400 unexpected-file before reading it (busboy's own limit of one
 * would answer 413 "reach files limit").
 */
export const multipartLimits = (settings: EvidenceSettings) => ({
  limits: { fileSize: settings.maxBytes, files: 2, fields: 10, fieldSize: 64 * 1024, parts: 12 },
  throwFileSizeLimit: true,
});

const received = new WeakMap<FastifyRequest, ReceivedEvidenceFile>();

/** The file an upload request carried (after readUpload ran). */
export const receivedFileOf = (request: FastifyRequest): ReceivedEvidenceFile | undefined => received.get(request);

/** Whatever happens to the request, an uncommitted staged file goes (committed ones are the ledger's, or the sweep's). */
export const discardUnused = async (request: FastifyRequest) => {
  await received.get(request)?.staged.discard();
};

const isFileTooLarge = (error: unknown) => (error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE';

/** What a form lacking its file is refused with: the pages show it as a request to choose one. */
export const MISSING_FILE = 'missing-file';
const missingFile = (detail: string) => badRequest(MISSING_FILE, detail);

/**
 * A file part without a name: a browser sends one, empty, for a file input left unchosen, which is a
 * missing file, not a badly named one. Its bytes are only counted, never staged.
 */
const namelessPart = async (content: AsyncIterable<Uint8Array>): Promise<never> => {
  let size = 0;
  for await (const chunk of content) size += chunk.length;
  if (size === 0) throw missingFile('No file was chosen: send the file in the part named "file", with its name');
  throw invalidFileName();
};

/**
 * Reads a multipart upload: exactly one file in a part named `file`, streamed into the blob
 * store's staging area as it arrives (never held in memory), checked, and the text fields
 * named in `fields` (others refused). The fields become the request body the route's schema
 * checks, with `file` naming the upload; the checked file waits in `receivedFileOf(request)`.
 */
export const readUpload =
  (blobs: BlobStore, settings: EvidenceSettings, fields: ReadonlySet<string>, clock?: () => Date) =>
  async (request: FastifyRequest): Promise<void> => {
    if (!request.isMultipart())
      throw new HttpProblem({
        status: 415,
        code: 'unsupported-media-type',
        title: 'Unsupported media type',
        detail: 'Send the evidence file as multipart/form-data, in a part named "file"',
      });
    const body: Record<string, string> = {};
    try {
      for await (const part of request.parts() as AsyncIterable<Multipart>) {
        if (part.type === 'file') {
          if (part.fieldname !== 'file' || received.has(request))
            throw badRequest('unexpected-file', 'Send exactly one file, in a part named "file"');
          if (!part.filename) await namelessPart(part.file);
          const file = await receiveEvidenceFile(
            blobs,
            settings,
            { content: part.file, fileName: part.filename, declaredType: part.mimetype },
            clock,
          );
          // busboy stops at the limit without an error of its own when the file ends exactly there.
          if (part.file.truncated) {
            await file.staged.discard();
            throw tooLarge(settings.maxBytes);
          }
          received.set(request, file);
          body.file = part.filename;
        } else if (fields.has(part.fieldname) && typeof part.value === 'string') keepFormField(body, part.fieldname, part.value);
        else throw badRequest('unknown-field', `Unknown form field "${part.fieldname}"`);
      }
    } catch (error) {
      // The fields read so far stay readable (a page shows the refusal on its form, after its CSRF check).
      request.body = body;
      await discardUnused(request);
      if (error instanceof EvidenceRefused) throw evidenceProblem(error);
      if (isFileTooLarge(error)) throw evidenceProblem(tooLarge(settings.maxBytes));
      // The body ended inside the file's part: the file stream closed before its end.
      if ((error as { code?: unknown }).code === 'ERR_STREAM_PREMATURE_CLOSE')
        throw badRequest('malformed-multipart', 'The multipart/form-data body ended inside the file: send it whole');
      throw error;
    }
    request.body = body;
    if (!received.has(request)) throw missingFile('The form has no part named "file"');
  };
