import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BusinessDate } from '../../../events/business-date.ts';
import { Text } from '../../../events/plan/common.ts';
import { EvidenceFile, Sha256 } from '../../../events/plan/evidence-file-attached.v1.ts';
import { CommandAccepted, etagOf } from '../../api/http/command-routes.ts';
import { problemResponses } from '../../api/http/openapi-responses.ts';
import { PlanId, RefParams } from '../../api/http/plan-params.ts';
import { HttpProblem } from '../../api/http/problem.ts';
import type { RouteAccessConfig } from '../../api/http/route-access.ts';
import type { BlobStore } from '../../blobs/port.ts';
import { acceptedBody, executeCommand, type CommandRouteDeps } from '../command-route.ts';
import type { EvidenceFileIndex } from '../../../projections/evidence-files/projection.ts';
import type { EvidenceSettings } from '../../evidence/receive-evidence-file.ts';
import { ACCEPTED_TYPES_TEXT } from '../../evidence/media-type.ts';
import { discardUnused, multipartLimits, readUpload, receivedFileOf } from './upload.ts';
import { erasureReachesOtherOwners, foreignHoldersOf, type ErasureReachDeps } from './erasure-reach.ts';

export interface EvidenceRouteDeps {
  commands: CommandRouteDeps;
  blobs: BlobStore;
  settings: EvidenceSettings;
  /** Erasures across every plan, from the read models (absent: only this plan's own rules apply). */
  evidenceFiles?: EvidenceFileIndex | undefined;
  clock?: () => Date;
  /** Which other plans an erasure would reach (absent: an app without read models or access control erases as the plan allows). */
  erasureReach?: ErasureReachDeps;
}

const UploadBody = z
  .object({
    file: z.string().describe(`The evidence file (binary). ${ACCEPTED_TYPES_TEXT}.`).meta({ format: 'binary' }),
    title: Text.max(500).optional().describe('What the evidence is; the file name if omitted'),
    description: Text.optional(),
    effectiveOn: BusinessDate.optional().describe('When the evidence was produced, as the document says; today if omitted'),
  })
  .strict();
const UPLOAD_FIELDS = new Set(['title', 'description', 'effectiveOn']);

const FileAccepted = CommandAccepted.extend({
  file: EvidenceFile,
  download: z.string().describe('Where the file is downloaded from'),
});
const ErasureParams = z.object({ planId: PlanId, sha256: Sha256 }).strict();
const ErasureBody = z
  .object({
    reason: Text.describe('Why the content must go: it is kept in the ledger with the erasure'),
    effectiveOn: BusinessDate.optional(),
  })
  .strict();
const Erased = CommandAccepted.extend({
  sha256: Sha256,
  fileRemoved: z.boolean().describe('False when the store no longer held the file (already removed)'),
});

export const downloadPath = (planId: string, sha256: string) => `/plans/${planId}/evidence-files/${sha256}`;

/**
 * Uploading evidence files to an action or a recommendation (multipart, streamed into the blob
 * store, checked, put in place durably just before the event is appended), and erasing one.
 */
export const evidenceRoutes = (deps: EvidenceRouteDeps) => async (root: FastifyInstance) => {
  await root.register(multipart, multipartLimits(deps.settings));
  const app = root.withTypeProvider<ZodTypeProvider>();
  const config: RouteAccessConfig = { access: 'command' };
  const tags = ['evidence'];
  // Before the answer leaves, so a client that sees a refusal never finds the refused file still staged.
  app.addHook('onSend', async (request, _reply, payload) => {
    await discardUnused(request);
    return payload;
  });

  for (const [kind, url, noun] of [
    ['recommendation', '/plans/:planId/recommendations/:ref/evidence-files', 'a recommendation'],
    ['action', '/plans/:planId/actions/:ref/evidence-files', 'an action'],
  ] as const) {
    app.post(
      url,
      {
        config,
        preValidation: readUpload(deps.blobs, deps.settings, UPLOAD_FIELDS, deps.clock),
        schema: {
          tags,
          summary: `Attach an evidence file to ${noun}`,
          description:
            `multipart/form-data with the file in a part named \`file\` (at most ${deps.settings.maxBytes} bytes). ` +
            'The file is kept by its sha256: the same file twice is stored once. Answers 413 for a file too large, 415 ' +
            'for a type not accepted, 422 for an empty file, 409 evidence-erased for content erased before.',
          consumes: ['multipart/form-data'],
          params: RefParams,
          body: UploadBody,
          response: { 201: FileAccepted, ...problemResponses, 415: problemResponses[413] },
        },
      },
      async (request, reply) => {
        const upload = receivedFileOf(request)!;
        const { planId, ref } = request.params;
        const erasure = deps.evidenceFiles?.erasureOf(upload.file.sha256);
        if (erasure)
          throw new HttpProblem({
            status: 409,
            code: 'evidence-erased',
            title: 'Conflict with the ledger',
            detail: `This file's content was erased from the ledger on ${erasure.recordedAt}: it cannot be attached again`,
          });
        const { effectiveOn, title, description } = request.body;
        const command = {
          type: 'AttachEvidenceFile' as const,
          data: {
            target: { kind, ref },
            title: title ?? upload.file.fileName.slice(0, 500),
            ...(description === undefined ? {} : { description }),
            file: upload.file,
          },
        };
        const result = await executeCommand(deps.commands, request, planId, command, effectiveOn, {
          beforeAppend: upload.commitBeforeAppend,
        });
        const download = downloadPath(planId, upload.file.sha256);
        if (result.replayed) reply.header('idempotent-replayed', 'true');
        return reply
          .code(201)
          .header('etag', etagOf(result.nextExpectedRevision))
          .header('location', download)
          .send({ ...acceptedBody(planId, result), file: upload.file, download });
      },
    );
  }

  app.post(
    '/plans/:planId/evidence-files/:sha256/erasure',
    {
      config,
      schema: {
        tags,
        summary: "Erase an evidence file's content (the owner's plan managers; reason required)",
        description:
          'Records EvidenceErased and removes the file from the store for good; its hash stays in the ledger, and ' +
          'verify, downloads and evidence packs report it as erased. The content is erased wherever it is attached.',
        params: ErasureParams,
        body: ErasureBody,
        response: { 201: Erased, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { planId, sha256 } = request.params;
      const { reason, effectiveOn } = request.body;
      const foreign = deps.erasureReach
        ? await foreignHoldersOf(deps.erasureReach, sha256, planId, deps.commands.actorOf(request).organisation)
        : [];
      const result = await executeCommand(
        deps.commands,
        request,
        planId,
        { type: 'EraseEvidence', data: { sha256, reason } },
        effectiveOn,
        {
          // After the caller's own authorisation, so a contributor or another organisation hears that first.
          alsoAuthorise: () => {
            if (foreign.length > 0) throw erasureReachesOtherOwners(foreign);
          },
        },
      );
      // Removed after the event: a crash in between leaves the file for the sweep, which removes erased content.
      const fileRemoved = await deps.blobs.remove(sha256);
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply
        .code(201)
        .header('etag', etagOf(result.nextExpectedRevision))
        .send({ ...acceptedBody(planId, result), sha256, fileRemoved });
    },
  );
};
