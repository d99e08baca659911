import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BusinessDate } from '../../../events/business-date.ts';
import { PlanKind } from '../../../events/plan/plan-registered.v1.ts';
import { parseIfMatch, type PlanCommandAccess } from '../command-route.ts';
import type { PlanCommand } from '../../domain/plan/commands.ts';
import type { Plan } from '../../domain/plan/state.ts';
import { ImportError } from '../../import/import-error.ts';
import { DOCUMENT_FORMATS } from '../../import/read-document.ts';
import { importPlan } from '../../import/import-plan.ts';
import type { OrganisationAliases } from '../../organisations/organisation-aliases.ts';
import { MAX_DOCUMENT_BYTES } from '../../import/read-document.ts';
import type { EventStore } from '../../store/port.ts';
import { problemResponses } from '../../api/http/openapi-responses.ts';
import { badRequest, HttpProblem } from '../../api/http/problem.ts';
import { keepFormField } from '../form-field.ts';
import { PlanId } from '../../api/http/plan-params.ts';
import type { BatchHandler } from '../../commands/command-path.ts';

const ImportBody = z
  .object({
    fileName: z
      .string()
      .trim()
      .min(1)
      .max(300)
      .describe("The file name: recorded in every event's provenance; .csv and .json select those formats"),
    content: z
      .string()
      .min(1)
      .describe(
        'The document: a plain-text export of a Word plan, or the CSV or JSON import format (send .docx and .xlsx ' +
          'files as multipart uploads)',
      ),
    planId: PlanId.optional().describe("Import into this plan (default: the document's, or one derived from the file name)"),
    owner: z.string().trim().min(1).max(300).optional(),
    title: z.string().trim().min(1).max(500).optional(),
    kind: PlanKind.optional(),
    format: z.enum(DOCUMENT_FORMATS).optional(),
    effectiveOn: BusinessDate.optional().describe('The date the document speaks as of, when it states none itself (YYYY-MM or YYYY-MM-DD)'),
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
  warnings: z.array(
    z.object({
      code: z.string(),
      line: z.number().optional(),
      location: z.string().optional(),
      message: z.string(),
      blocking: z.boolean(),
    }),
  ),
  gate: z.object({ blocking: z.number(), informational: z.number(), passes: z.boolean(), accepted: z.boolean() }),
  preview: z.array(
    z.object({
      source: z.string(),
      cells: z.array(z.string()),
      fact: z.string(),
      ref: z.string().optional(),
      text: z.string().optional(),
      lead: z.string().optional(),
      due: z.string().optional(),
      status: z.string().optional(),
      effectiveOn: z.string().optional(),
      record: z.enum(['new', 'held', 'read']),
    }),
  ),
  position: z.string().optional(),
  replayed: z
    .boolean()
    .describe(
      'True when another import of the same file, planned against the same plan revision, recorded these facts first ' +
        '(answered 200 with `Idempotent-Replayed: true`): nothing new was written',
    ),
});

/** An import error as problem details: its stable code, the line, and the HTTP status it carries. */
export const importProblem = (error: ImportError) =>
  new HttpProblem({
    status: error.status,
    code: error.code,
    title: 'The document cannot be imported',
    detail: error.message,
    ...(error.line === undefined ? {} : { line: error.line }),
    ...error.details,
  });

const MULTIPART_FIELDS = new Set(['planId', 'owner', 'title', 'kind', 'format', 'effectiveOn']);

/**
 * A multipart upload (a `file` part plus optional fields) is turned into the JSON body's
 * shape before validation, so both arrive at one schema and one handler. The file's
 * bytes are kept as they came, so a binary or non-UTF-8 upload is named as such.
 */
const uploads = new WeakMap<FastifyRequest, Buffer>();
const readMultipart = async (request: FastifyRequest) => {
  if (!request.isMultipart()) return;
  const body: Record<string, string> = {};
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file' || uploads.has(request))
        throw badRequest('unexpected-file', 'send exactly one file, in a part named "file"');
      try {
        uploads.set(request, await part.toBuffer());
      } catch (error) {
        // The body ended inside the file's part: the file stream closed before its end.
        if ((error as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE')
          throw badRequest('malformed-multipart', 'the multipart/form-data body ended inside the file: send it whole');
        if ((error as { code?: string }).code !== 'FST_REQ_FILE_TOO_LARGE') throw error;
        throw importProblem(
          new ImportError(
            'document-too-large',
            `the file is larger than the ${MAX_DOCUMENT_BYTES / 1048576} MB a plan may be`,
            undefined,
            413,
          ),
        );
      }
      body.fileName = part.filename || 'upload';
      body.content = '(uploaded file)';
    } else if (MULTIPART_FIELDS.has(part.fieldname) && typeof part.value === 'string') keepFormField(body, part.fieldname, part.value);
    else throw badRequest('unknown-field', `unknown form field "${part.fieldname}"`);
  }
  if (!uploads.has(request)) throw badRequest('missing-file', 'the form has no part named "file"');
  request.body = body;
};

/**
 * An import's command id is its document: the file's claim on its plan, or the file and the plan
 * revision it was planned against (import-plan.ts). That id is what makes one document one plan
 * hold on every instance at once, and the store keeps one id per append, so a caller's key cannot
 * also be the import's id. Ignored, a key would promise what other write routes keep (the first
 * answer again, a refusal when reused for another request) and this one could not: it is refused.
 * A document sent again never writes twice without one.
 */
const refuseIdempotencyKey = (request: FastifyRequest) => {
  if (request.headers['idempotency-key'] === undefined) return;
  throw badRequest(
    'idempotency-key-not-supported',
    'POST /imports takes no Idempotency-Key: an import is identified by its document (the file and the plan ' +
      'revision it was planned against), so sending the same document again never writes it twice. Send the ' +
      'request without the header (docs/import.md)',
  );
};

export interface ImportRouteDeps extends PlanCommandAccess {
  store: EventStore;
  aliases: OrganisationAliases;
  /**
   * True with access control: no caller of this route may give a name a new meaning in the
   * directory access control reads, and nothing is learned from their documents at all —
   * even a brand-new name, harmless to resolution, would steer how later Led-by cells split
   * ("X and Y" read as one organisation) and pre-empt an alias the operator adds later.
   */
  refuseNewAliases: boolean;
  /** The app's one command path: an import's batch shares its plan queue and state cache with single commands. */
  batch: BatchHandler;
  clock?: () => Date;
}

/** POST /imports: the same import as `ledger import`, for API clients; `?dryRun=true` reports without writing. */
export const importRoutes = (deps: ImportRouteDeps) => async (root: FastifyInstance) => {
  // Two files, not one: readMultipart refuses the second as 400 unexpected-file (busboy's limit would answer 413).
  await root.register(multipart, { limits: { fileSize: MAX_DOCUMENT_BYTES, files: 2, fields: 10 }, throwFileSizeLimit: true });
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { batch } = deps;
  app.post(
    '/imports',
    {
      config: { access: 'command' },
      // Documents are larger than commands; JSON escaping can add a little to the file's size.
      bodyLimit: Math.ceil(MAX_DOCUMENT_BYTES * 1.25),
      preValidation: async (request) => {
        refuseIdempotencyKey(request);
        await readMultipart(request);
      },
      schema: {
        consumes: ['application/json', 'multipart/form-data'],
        tags: ['imports'],
        summary: 'Import an action plan (Word, Excel, a text export, CSV or JSON); re-importing writes only what changed',
        description:
          'Send the document as JSON (`fileName`, `content`) or as multipart/form-data with the file in a part named ' +
          '`file` (Word .docx, Excel .xlsx, a text export, CSV or JSON) and the same optional fields. Answers 201 with ' +
          'the summary and a row-by-row preview when events were written, 200 when nothing was (a dry run, or the ' +
          'ledger already held everything; with `Idempotent-Replayed: true` and `replayed` when another import of the ' +
          'same file, planned against the same plan revision, wrote it first). An import whose warnings mean facts ' +
          'were lost or misplaced is 422 ' +
          '`import-has-blocking-warnings` unless `acceptWarnings=true`; a file already imported under another live ' +
          'plan is 409 `document-already-imported`. Unlike the other writes it takes no `Idempotency-Key` (400 ' +
          '`idempotency-key-not-supported`): its command id is the document, so the same document sent again never ' +
          'writes twice. `If-Match` (the plan revision last seen) refuses it with 412 `revision-mismatch` unless the ' +
          'plan still stands there, as on the other writes.',
        querystring: z
          .object({
            dryRun: z.enum(['true', 'false']).optional(),
            acceptWarnings: z
              .enum(['true', 'false'])
              .optional()
              .describe('Write even though some warnings mean facts were lost or misplaced (without it such an import is 422)'),
          })
          .strict(),
        body: ImportBody,
        response: { 200: ImportResult, 201: ImportResult, ...problemResponses },
      },
    },
    async (req, reply) => {
      const dryRun = req.query.dryRun === 'true';
      // Every command of the import is authorised for the caller, exactly as if sent one at a time.
      const authorise = deps.authorise && ((command: PlanCommand, plan: Plan) => deps.authorise!(req, command, plan));
      try {
        const summary = await importPlan(
          {
            store: deps.store,
            batch,
            directory: deps.aliases,
            actor: deps.actorOf(req),
            authorise,
            refuseNewAliases: deps.refuseNewAliases,
            ...(deps.refuseNewAliases ? {} : { learnOrganisations: deps.aliases.learn }),
            ...(deps.clock ? { clock: deps.clock } : {}),
          },
          {
            ...req.body,
            content: uploads.get(req) ?? req.body.content,
            dryRun,
            acceptWarnings: req.query.acceptWarnings === 'true',
            ifMatchRevision: parseIfMatch(typeof req.headers['if-match'] === 'string' ? req.headers['if-match'] : undefined),
          },
        );
        // A replay wrote nothing, as a write route's replay (command-route.ts) says with the same header.
        if (summary.replayed) reply.header('idempotent-replayed', 'true');
        return reply
          .code(!dryRun && summary.events > 0 ? 201 : 200)
          .send({ ...summary, inDocument: { ...summary.inDocument }, recorded: { ...summary.recorded } });
      } catch (error) {
        throw error instanceof ImportError ? importProblem(error) : error;
      }
    },
  );
};
