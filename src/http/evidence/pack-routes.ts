import { attachmentDisposition } from '../attachment-disposition.ts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../api/http/openapi-responses.ts';
import { PlanId } from '../../api/http/plan-params.ts';
import { HttpProblem } from '../../api/http/problem.ts';
import type { RouteAccessConfig } from '../../api/http/route-access.ts';
import type { BlobStore } from '../../blobs/port.ts';
import { prepareEvidencePack } from '../../evidence/pack/build-pack.ts';
import { CheckpointRefused, UnknownPlan } from '../../integrity/errors.ts';
import type { LedgerIntegrity } from '../../integrity/ledger-integrity.ts';
import type { EvidenceFileIndex } from '../../../projections/evidence-files/projection.ts';
import { SIGNING_READ } from '../signing-read.ts';

export interface PackRouteDeps {
  ledger: LedgerIntegrity;
  blobs: BlobStore;
  evidenceFiles: EvidenceFileIndex | undefined;
  clock?: () => Date;
}

/**
 * GET /plans/:planId/evidence-pack: the inquiry's zip (index.html, the evidence files, the export
 * bundle, pack.json, VERIFY.txt, signed SHA256SUMS), streamed as it is built. An audit read, like
 * the export it contains, recorded in the access log.
 */
export const packRoutes = (deps: PackRouteDeps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const config: RouteAccessConfig = { access: 'audit', auditRead: true };
  app.get(
    '/plans/:planId/evidence-pack',
    {
      config,
      ...SIGNING_READ,
      schema: {
        tags: ['evidence'],
        summary: "A plan's evidence pack for an inquiry: one zip, checked offline by `ledger verify-pack` (recorded in the access log)",
        description:
          "index.html (printable: status, deadlines, each action's history with both clocks, the evidence with hashes), the " +
          'evidence files named by their SHA-256, export.json (as GET /plans/{planId}/export), pack.json, VERIFY.txt, and ' +
          "SHA256SUMS with the ledger's signature over it. Signs a checkpoint first if the plan has newer events.",
        params: z.object({ planId: PlanId }).strict(),
        // A pack is only ever at the head: a parameter such as asOf is refused, not ignored for a pack of today.
        querystring: z.object({}).strict(),
        produces: ['application/zip'],
        response: { 200: z.string().describe('The zip file'), ...problemResponses },
      },
    },
    async (request, reply) => {
      const { evidenceFiles } = deps;
      const pack = await prepareEvidencePack(
        {
          ledger: deps.ledger,
          blobs: deps.blobs,
          erasureOf: async (sha256) => evidenceFiles?.erasureOf(sha256),
          ...(deps.clock ? { now: deps.clock } : {}),
        },
        request.params.planId,
      ).catch((error: unknown) => {
        if (error instanceof UnknownPlan)
          throw new HttpProblem({ status: 404, code: 'plan-not-found', title: 'Not found', detail: `No plan ${error.planId}` });
        if (error instanceof CheckpointRefused)
          throw new HttpProblem({ status: 409, code: 'checkpoint-refused', title: 'Conflict with the ledger', detail: error.message });
        throw error;
      });
      const problems = pack.manifest.evidence.filter((e) => e.status === 'missing' || e.status === 'altered');
      if (problems.length)
        request.log.error({ planId: pack.planId, files: problems.map((e) => e.sha256) }, 'evidence pack made without files the store lost');
      return (
        reply
          .type('application/zip')
          .header('content-disposition', attachmentDisposition(pack.fileName))
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'private, no-store')
          // The schema's 200 is a string for the OpenAPI document; fastify streams a Readable as the body.
          .send(pack.stream() as unknown as string)
      );
    },
  );
};
