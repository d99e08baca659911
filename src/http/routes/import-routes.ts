import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PlanKind } from '../../../events/plan/plan-registered.v1.ts';
import type { CommandRouteDeps } from '../command-route.ts';
import { createBatchHandler } from '../../commands/handle-batch.ts';
import { ImportError } from '../../import/import-error.ts';
import { importPlan } from '../../import/import-plan.ts';
import type { OrganisationAliases } from '../../import/organisation-aliases-file.ts';
import { MAX_DOCUMENT_BYTES } from '../../import/read-document.ts';
import type { EventStore } from '../../store/port.ts';
import { problemResponses } from '../openapi-responses.ts';
import { HttpProblem } from '../problem.ts';
import { PlanId } from '../schemas.ts';

const ImportBody = z
  .object({
    fileName: z.string().trim().min(1).max(300).describe('The file name: recorded in every event\'s provenance; .csv and .json select those formats'),
    content: z.string().min(1).describe('The document: a plain-text export of a Word plan, or the CSV or JSON import format'),
    planId: PlanId.optional().describe('Import into this plan (default: the document\'s, or one derived from the file name)'),
    owner: z.string().trim().min(1).max(300).optional(),
    title: z.string().trim().min(1).max(500).optional(),
    kind: PlanKind.optional(),
    format: z.enum(['text', 'csv', 'json']).optional(),
  })
  .strict();

const Counts = z.record(z.string(), z.number());
const ImportResult = z.object({
  planId: z.string(),
  title: z.string(),
  file: z.string(),
  sha256: z.string(),
  format: z.string(),
  dryRun: z.boolean(),
  inDocument: Counts,
  recorded: Counts,
  events: z.number(),
  warnings: z.array(z.object({ code: z.string(), line: z.number().optional(), message: z.string() })),
  position: z.string().optional(),
});

/** An import error as problem details: its stable code, the line, and the HTTP status it carries. */
export const importProblem = (error: ImportError) =>
  new HttpProblem({ status: error.status, code: error.code, title: 'The document cannot be imported', detail: error.message, ...(error.line === undefined ? {} : { line: error.line }) });

/** POST /imports: the same import as `ledger import`, for API clients; `?dryRun=true` reports without writing. */
export const importRoutes = (deps: { store: EventStore; actorOf: CommandRouteDeps['actorOf']; aliases: OrganisationAliases; clock?: () => Date }) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const batch = createBatchHandler({ store: deps.store, ...(deps.clock ? { clock: deps.clock } : {}) });
  app.post(
    '/imports',
    {
      config: { access: 'command' },
      // Documents are larger than commands; JSON escaping can add a little to the file's size.
      bodyLimit: Math.ceil(MAX_DOCUMENT_BYTES * 1.25),
      schema: {
        tags: ['imports'],
        summary: 'Import an action plan (Word text export, CSV or JSON); re-importing writes only what changed',
        querystring: z.object({ dryRun: z.enum(['true', 'false']).optional() }).strict(),
        body: ImportBody,
        response: { 200: ImportResult, 201: ImportResult, ...problemResponses },
      },
    },
    async (req, reply) => {
      const dryRun = req.query.dryRun === 'true';
      try {
        const summary = await importPlan(
          { store: deps.store, batch, directory: deps.aliases.directory(), actor: deps.actorOf(req), learnOrganisations: deps.aliases.learn, ...(deps.clock ? { clock: deps.clock } : {}) },
          { ...req.body, dryRun },
        );
        return reply.code(!dryRun && summary.events > 0 ? 201 : 200).send({ ...summary, inDocument: { ...summary.inDocument }, recorded: { ...summary.recorded } });
      } catch (error) {
        throw error instanceof ImportError ? importProblem(error) : error;
      }
    },
  );
};
