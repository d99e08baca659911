import { createHash } from 'node:crypto';
import { pipeline, Transform, type Readable } from 'node:stream';
import { attachmentDisposition } from '../attachment-disposition.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Sha256, type EvidenceFile } from '../../../events/plan/evidence-file-attached.v1.ts';
import { problemResponses } from '../../api/http/openapi-responses.ts';
import { PlanId } from '../../api/http/plan-params.ts';
import { HttpProblem, sendProblem } from '../../api/http/problem.ts';
import type { RouteAccessConfig } from '../../api/http/route-access.ts';
import type { BlobStore } from '../../blobs/port.ts';
import { clocksOfQuery, readQuery, registerReadYourWrites, type ReadModelDeps } from '../read-query.ts';
import { planRetracted } from '../plan-retracted.ts';
import { isLive } from '../../../projections/clocks/clocks.ts';
import type { PlanDoc } from '../../../projections/plan-status/document.ts';
import { TEXT_TYPES } from '../../evidence/media-type.ts';
import { ifNoneMatchHolds } from './if-none-match.ts';

export interface DownloadDeps {
  read: ReadModelDeps;
  blobs: BlobStore;
}

const DownloadParams = z.object({ planId: PlanId, sha256: Sha256 }).strict();

/** The plan's record of a file: how it was attached (name, type) and whether its content was erased. */
export const evidenceFileOfPlan = (
  doc: PlanDoc,
  sha256: string,
): { file: EvidenceFile; erased: { recordedAt: string; reason: string } | undefined } | undefined => {
  for (const holder of [...doc.actions, ...doc.recommendations])
    for (const item of holder.evidence)
      if ('file' in item && item.file.sha256 === sha256)
        return { file: item.file, erased: (doc.erasures ?? []).find((e) => e.sha256 === sha256) };
  return undefined;
};

/** Text types are served with their charset: the upload was refused unless it was UTF-8. */
const contentTypeOf = (file: EvidenceFile) => (TEXT_TYPES.has(file.mediaType) ? `${file.mediaType}; charset=utf-8` : file.mediaType);

/**
 * Serves the bytes as stored while hashing them, one chunk behind: the last chunk is sent only
 * once the whole file hashed to the recorded sha256 at the recorded size. Bytes altered in the
 * store therefore never arrive complete (the transfer ends short of its Content-Length) and the
 * log says why.
 */
const checkedAsSent = (request: FastifyRequest, stream: Readable, file: EvidenceFile) => {
  const hash = createHash('sha256');
  let size = 0;
  let held: Buffer | undefined;
  const altered = (found: string) => {
    request.log.error({ sha256: file.sha256, found, size }, 'evidence file altered in the store: download cut short');
    return new Error(`evidence file ${file.sha256} does not match its recorded hash`);
  };
  const checked = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      if (size > file.size) return done(altered(`more than ${file.size} bytes`));
      const previous = held;
      held = chunk;
      done(null, previous);
    },
    flush(done) {
      const found = hash.digest('hex');
      if (found !== file.sha256 || size !== file.size) return done(altered(found));
      done(null, held);
    },
  });
  // pipeline destroys both on an error either side; fastify answers the error it sees on `checked`.
  return pipeline(stream, checked, () => undefined);
};

export const sendEvidenceFile = async (
  request: FastifyRequest,
  reply: FastifyReply,
  blobs: BlobStore,
  planId: string,
  recorded: { file: EvidenceFile; erased: { recordedAt: string; reason: string } | undefined } | undefined,
  erasedElsewhere: { recordedAt: string } | undefined,
) => {
  if (!recorded)
    throw new HttpProblem({
      status: 404,
      code: 'evidence-file-not-found',
      title: 'Not found',
      detail: `No such evidence file in plan ${planId}`,
    });
  const erased = recorded.erased ?? erasedElsewhere;
  if (erased)
    throw new HttpProblem({
      status: 410,
      code: 'evidence-erased',
      title: 'Gone',
      detail: `This evidence file's content was erased on ${erased.recordedAt}; its hash stays in the ledger`,
    });
  const { file } = recorded;
  const etag = `"${file.sha256}"`;
  reply
    .header('etag', etag)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .header('content-disposition', attachmentDisposition(file.fileName));
  if (ifNoneMatchHolds(request.headers['if-none-match'], etag)) return reply.code(304).send();
  const stream = await blobs.open(file.sha256);
  if (!stream) {
    request.log.error({ sha256: file.sha256, planId }, 'evidence file recorded in the ledger is missing from the store');
    return sendProblem(reply, {
      status: 500,
      code: 'evidence-file-missing',
      title: 'The evidence file is missing',
      detail: 'The ledger records this file but the store does not hold it: run ledger verify, and restore it from a backup',
    });
  }
  // However the response ends (sent, refused by the access log, client gone), the file is closed.
  reply.raw.on('close', () => stream.destroy());
  return reply
    .type(contentTypeOf(file))
    .header('content-length', String(file.size))
    .send(checkedAsSent(request, stream, file));
};

/** GET /plans/:planId/evidence-files/:sha256: a plan's evidence file, for anyone who may read the plan, recorded in the access log. */
export const downloadRoutes = (deps: DownloadDeps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  registerReadYourWrites(root, deps.read);
  const config: RouteAccessConfig = { access: 'projection', auditRead: true };
  app.get(
    '/plans/:planId/evidence-files/:sha256',
    {
      config,
      schema: {
        tags: ['evidence'],
        summary: 'Download an evidence file of the plan (recorded in the access log)',
        description:
          'Served as an attachment under its original name, with ETag = its sha256 and X-Content-Type-Options: nosniff. ' +
          '410 evidence-erased for erased content; 410 plan-retracted for a plan retracted at the clocks asked for ' +
          '(asOf an instant before the retraction serves it; its evidence pack holds it for an inquiry). ' +
          'The bytes are checked against the recorded hash as they are sent.',
        params: DownloadParams,
        // Read at the clocks asked for, as the plan's view is: a retracted plan's files are served as it stood before.
        querystring: z.object(readQuery).strict(),
        produces: ['application/octet-stream'],
        response: { 200: z.string().describe('The file as uploaded'), ...problemResponses, 410: problemResponses[404] },
      },
    },
    async (request, reply) => {
      const { planId, sha256 } = request.params;
      const clocks = await clocksOfQuery(deps.read, request.query);
      let doc = await deps.read.reader.planDoc(planId, clocks);
      // Just uploaded and not yet in the read model? Wait (briefly) for it to reach the ledger's head, then look again.
      if (isLive(clocks) && (!doc || !evidenceFileOfPlan(doc, sha256))) {
        const head = deps.read.ledgerHead ? await deps.read.ledgerHead() : undefined;
        if (head !== undefined && head > deps.read.runner.position() && (await deps.read.runner.waitFor(head, 2000)))
          doc = await deps.read.reader.planDoc(planId);
      }
      if (!doc) throw new HttpProblem({ status: 404, code: 'plan-not-found', title: 'Not found', detail: `No plan ${planId}` });
      // Out of every current view, so not served as the plan's evidence either: the 410 says who retracted it and why.
      if (doc.retraction) throw planRetracted(planId, doc.retraction);
      return sendEvidenceFile(
        request,
        reply,
        deps.blobs,
        planId,
        evidenceFileOfPlan(doc, sha256),
        deps.read.evidenceFiles?.erasureOf(sha256),
      );
    },
  );
};
