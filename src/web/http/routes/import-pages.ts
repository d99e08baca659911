import { createHash } from 'node:crypto';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PlanCommand } from '../../../domain/plan/commands.ts';
import type { Plan } from '../../../domain/plan/state.ts';
import { ImportError } from '../../../import/import-error.ts';
import { importPlan, type ImportSummary } from '../../../import/import-plan.ts';
import { MAX_DOCUMENT_BYTES } from '../../../import/read-document.ts';
import { toProblem } from '../../../http/error-handler.ts';
import { importProblem } from '../../../http/routes/import-routes.ts';
import { renderPage } from '../render.ts';
import type { WebRouteDeps } from '../web-deps.ts';

const uploads = new WeakMap<FastifyRequest, { fileName: string; bytes: Buffer }>();

/** The upload form is multipart (a file input); its CSRF token is one of its fields, so the fields become the body before the check. */
const readUpload = async (request: FastifyRequest) => {
  if (!request.isMultipart()) return;
  const fields: Record<string, string> = {};
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      const bytes = await part.toBuffer();
      if (part.fieldname === 'document' && part.filename) uploads.set(request, { fileName: part.filename, bytes });
    } else if (typeof part.value === 'string' && ['_csrf', 'planId'].includes(part.fieldname)) fields[part.fieldname] = part.value;
  }
  request.body = fields;
};

/**
 * Importing a plan from the browser, for plan managers: upload, see what the import would
 * record (a dry run of the same import as `POST /imports` and `ledger import`), then confirm.
 * The confirm step carries the document itself (base64) so that what is recorded is exactly
 * what was previewed; its sha256 is recorded in every event's provenance. Every command is
 * authorised for the person, and no organisation name is given a new meaning.
 */
export const importPages = (deps: WebRouteDeps) => async (app: FastifyInstance) => {
  await app.register(multipart, { limits: { fileSize: MAX_DOCUMENT_BYTES, files: 1, fields: 5 }, throwFileSizeLimit: true });
  const { batch } = deps;
  const config = { access: 'command' as const, page: true };

  const run = (request: FastifyRequest, document: { fileName: string; content: Buffer }, dryRun: boolean): Promise<ImportSummary> =>
    importPlan(
      {
        store: deps.store,
        batch,
        directory: deps.aliases,
        actor: deps.commands.actorOf(request),
        authorise: deps.commands.authorise && ((command: PlanCommand, plan: Plan) => deps.commands.authorise!(request, command, plan)),
        refuseNewAliases: true,
        clock: deps.clock,
      },
      { fileName: document.fileName, content: document.content, dryRun },
    );

  const refused = (request: FastifyRequest, reply: FastifyReply, error: unknown) => {
    const problem = error instanceof ImportError ? importProblem(error).problem : toProblem(error as never);
    if (!problem) throw error;
    return renderPage(
      request,
      reply,
      'import.njk',
      { pageTitle: 'Import a plan', errors: [{ text: problem.detail ?? problem.title, href: '#document' }] },
      problem.status,
    );
  };

  app.get('/imports', { config, schema: { hide: true } }, (request, reply) =>
    renderPage(request, reply, 'import.njk', { pageTitle: 'Import a plan' }),
  );

  app.post(
    '/imports',
    {
      config,
      schema: { hide: true },
      bodyLimit: MAX_DOCUMENT_BYTES + 64 * 1024,
      preValidation: readUpload,
      preHandler: app.csrfProtection,
    },
    async (request, reply) => {
      const upload = uploads.get(request);
      if (!upload || upload.bytes.length === 0)
        return renderPage(
          request,
          reply,
          'import.njk',
          { pageTitle: 'Import a plan', errors: [{ text: 'Choose the plan document to import', href: '#document' }] },
          400,
        );
      try {
        const summary = await run(request, { fileName: upload.fileName, content: upload.bytes }, true);
        return renderPage(request, reply, 'import-preview.njk', {
          pageTitle: 'Check the import',
          summary,
          document: upload.bytes.toString('base64'),
          fileName: upload.fileName,
        });
      } catch (error) {
        return refused(request, reply, error);
      }
    },
  );

  app.post(
    '/imports/confirm',
    { config, schema: { hide: true }, bodyLimit: Math.ceil(MAX_DOCUMENT_BYTES * 1.4) + 64 * 1024, preHandler: app.csrfProtection },
    async (request, reply) => {
      const body = (request.body ?? {}) as { document?: unknown; fileName?: unknown; sha256?: unknown };
      if (typeof body.document !== 'string' || typeof body.fileName !== 'string' || typeof body.sha256 !== 'string')
        return renderPage(
          request,
          reply,
          'import.njk',
          { pageTitle: 'Import a plan', errors: [{ text: 'The preview was incomplete. Upload the document again.', href: '#document' }] },
          400,
        );
      const content = Buffer.from(body.document, 'base64');
      // Checked before anything is recorded: what is imported is byte for byte what was previewed.
      if (createHash('sha256').update(content).digest('hex') !== body.sha256)
        return renderPage(
          request,
          reply,
          'import.njk',
          { pageTitle: 'Import a plan', errors: [{ text: 'The document changed after the preview. Upload it again.', href: '#document' }] },
          400,
        );
      try {
        const summary = await run(request, { fileName: body.fileName, content }, false);
        if (summary.position) await deps.read.runner.waitFor(BigInt(summary.position), 2000);
        return renderPage(request, reply, 'import-preview.njk', { pageTitle: 'Imported', summary, done: true });
      } catch (error) {
        return refused(request, reply, error);
      }
    },
  );
};
