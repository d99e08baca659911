import { createHash } from 'node:crypto';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PlanCommand } from '../../../domain/plan/commands.ts';
import type { Plan } from '../../../domain/plan/state.ts';
import { ImportError } from '../../../import/import-error.ts';
import { importPlan, type ImportSummary } from '../../../import/import-plan.ts';
import { MAX_DOCUMENT_BYTES } from '../../../import/read-document.ts';
import { logRefusal, toProblem } from '../../../http/error-handler.ts';
import { importProblem } from '../../../http/routes/import-routes.ts';
import { renderPage } from '../render.ts';
import { importCountRows } from '../../import-counts.ts';
import type { WebRouteDeps } from '../web-deps.ts';
import { fieldGivenTwice, keepPageFormField } from '../fields-once.ts';

const uploads = new WeakMap<FastifyRequest, { fileName: string; bytes: Buffer }>();
/** The upload form's text fields: its CSRF token, the plan's owner and the date an undated document speaks as of. */
const UPLOAD_FIELDS = new Set(['_csrf', 'owner', 'effectiveOn']);

/** What the person chose beside the document: both are the same options `ledger import` and `POST /imports` take. */
interface ImportChoices {
  /** The plan's owner when the document names none (a Word or Excel original rarely does). */
  owner?: string | undefined;
  effectiveOn?: string | undefined;
  acceptWarnings?: boolean | undefined;
}
const filled = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
const choicesOf = (body: { owner?: unknown; effectiveOn?: unknown; acceptWarnings?: unknown }): ImportChoices => ({
  owner: filled(body.owner),
  effectiveOn: filled(body.effectiveOn),
  acceptWarnings: body.acceptWarnings === 'yes',
});

/** The upload form is multipart (a file input); its CSRF token is one of its fields, so the fields become the body before the check. */
const readUpload = async (request: FastifyRequest) => {
  if (!request.isMultipart()) return;
  const fields: Record<string, string> = {};
  const files: Record<string, string> = {};
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      const bytes = await part.toBuffer();
      // A second document is refused as a text field given twice is: neither is taken for the one meant.
      if (part.fieldname === 'document') keepPageFormField(request, files, part.fieldname, part.filename);
      if (part.fieldname === 'document' && part.filename && !uploads.has(request)) uploads.set(request, { fileName: part.filename, bytes });
    } else if (typeof part.value === 'string' && UPLOAD_FIELDS.has(part.fieldname))
      keepPageFormField(request, fields, part.fieldname, part.value);
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
const maxMegabytes = MAX_DOCUMENT_BYTES / 1048576;
/** Refusals about the document's date: the error summary links to the date field, not the file. */
const DATE_ERRORS = new Set(['document-undated', 'invalid-effective-on']);

/** The importer's messages name the CLI's flags; on this page the same choices are form fields. */
const webWording = (message: string) =>
  message
    .replaceAll(/--effective-on <date> \(HTTP: effectiveOn\)/g, 'the date the document speaks as of')
    .replaceAll(/--effective-on/g, 'the date the document speaks as of')
    .replaceAll(/--accept-warnings/g, 'accepting the warnings')
    .replaceAll(/\(pass --owner to name it\)/g, "(name it in the form's owner field)");

export const importPages = (deps: WebRouteDeps) => async (app: FastifyInstance) => {
  // Two files, so that a second document is read far enough to be refused on the form (as given twice), not as over a limit.
  await app.register(multipart, { limits: { fileSize: MAX_DOCUMENT_BYTES, files: 2, fields: 5 }, throwFileSizeLimit: true });
  const { batch } = deps;
  const config = { access: 'command' as const, page: true };

  const run = (
    request: FastifyRequest,
    document: { fileName: string; content: Buffer },
    dryRun: boolean,
    choices: ImportChoices,
  ): Promise<ImportSummary> =>
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
      { fileName: document.fileName, content: document.content, dryRun, ...choices },
    );

  /** The preview page: the summary, every fact row by row, and a confirm form carrying the document and the choices. */
  const preview = (
    request: FastifyRequest,
    reply: FastifyReply,
    summary: ImportSummary,
    upload: { fileName: string; bytes: Buffer },
    choices: ImportChoices,
    errors?: { text: string; href: string }[],
  ) =>
    renderPage(
      request,
      reply,
      'import-preview.njk',
      {
        pageTitle: 'Check the import',
        summary,
        countRows: importCountRows(summary),
        document: upload.bytes.toString('base64'),
        fileName: upload.fileName,
        owner: choices.owner ?? '',
        effectiveOn: choices.effectiveOn ?? '',
        ...(errors ? { errors } : {}),
      },
      errors ? 422 : 200,
    );

  /** The upload form again, as it was filled in, with one error at the box it is about. */
  const uploadFormAgain = (
    request: FastifyRequest,
    reply: FastifyReply,
    choices: ImportChoices,
    error: { text: string; href: string },
    status: number,
  ) =>
    renderPage(
      request,
      reply,
      'import.njk',
      { pageTitle: 'Import a plan', maxMegabytes, owner: choices.owner ?? '', effectiveOn: choices.effectiveOn ?? '', errors: [error] },
      status,
    );

  const refused = (request: FastifyRequest, reply: FastifyReply, error: unknown, choices: ImportChoices) => {
    const problem = error instanceof ImportError ? importProblem(error).problem : toProblem(error as never);
    if (!problem) throw error;
    logRefusal(request, error, problem);
    const href = error instanceof ImportError && DATE_ERRORS.has(error.code) ? '#effectiveOn' : '#document';
    return uploadFormAgain(request, reply, choices, { text: webWording(problem.detail ?? problem.title), href }, problem.status);
  };

  /** A form that gave a field twice: the upload form again, the error at that field (the document's when it is none of the boxes). */
  const givenTwicePage = (request: FastifyRequest, reply: FastifyReply, twice: { field: string; text: string }, choices: ImportChoices) =>
    uploadFormAgain(
      request,
      reply,
      choices,
      { text: twice.text, href: twice.field === 'owner' || twice.field === 'effectiveOn' ? `#${twice.field}` : '#document' },
      400,
    );

  app.get('/imports', { config, schema: { hide: true } }, (request, reply) =>
    renderPage(request, reply, 'import.njk', { pageTitle: 'Import a plan', maxMegabytes }),
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
      const twice = fieldGivenTwice(request);
      if (twice) return givenTwicePage(request, reply, twice, choicesOf(request.body as Record<string, unknown>));
      if (!upload || upload.bytes.length === 0)
        return renderPage(
          request,
          reply,
          'import.njk',
          { pageTitle: 'Import a plan', maxMegabytes, errors: [{ text: 'Choose the plan document to import', href: '#document' }] },
          400,
        );
      const choices = choicesOf(request.body as Record<string, unknown>);
      try {
        const summary = await run(request, { fileName: upload.fileName, content: upload.bytes }, true, choices);
        return preview(request, reply, summary, upload, choices);
      } catch (error) {
        return refused(request, reply, error, choices);
      }
    },
  );

  app.post(
    '/imports/confirm',
    { config, schema: { hide: true }, bodyLimit: Math.ceil(MAX_DOCUMENT_BYTES * 1.4) + 64 * 1024, preHandler: app.csrfProtection },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const twice = fieldGivenTwice(request);
      if (twice) return givenTwicePage(request, reply, twice, choicesOf(body));
      if (typeof body.document !== 'string' || typeof body.fileName !== 'string' || typeof body.sha256 !== 'string')
        return renderPage(
          request,
          reply,
          'import.njk',
          {
            pageTitle: 'Import a plan',
            maxMegabytes,
            errors: [{ text: 'The preview was incomplete. Upload the document again.', href: '#document' }],
          },
          400,
        );
      const content = Buffer.from(body.document, 'base64');
      // Checked before anything is recorded: what is imported is byte for byte what was previewed.
      if (createHash('sha256').update(content).digest('hex') !== body.sha256)
        return renderPage(
          request,
          reply,
          'import.njk',
          {
            pageTitle: 'Import a plan',
            maxMegabytes,
            errors: [{ text: 'The document changed after the preview. Upload it again.', href: '#document' }],
          },
          400,
        );
      const choices = choicesOf(body);
      const upload = { fileName: body.fileName, bytes: content };
      try {
        const summary = await run(request, { fileName: body.fileName, content }, false, choices);
        if (summary.position) await deps.read.runner.waitFor(BigInt(summary.position), 2000);
        return renderPage(request, reply, 'import-preview.njk', {
          pageTitle: summary.replayed ? 'Already imported' : 'Imported',
          summary,
          countRows: importCountRows(summary),
          done: true,
        });
      } catch (error) {
        // The gate held: show the same preview again, with the decision still to make.
        if (error instanceof ImportError && error.code === 'import-has-blocking-warnings') {
          const summary = await run(request, { fileName: body.fileName, content }, true, choices);
          return preview(request, reply, summary, upload, choices, [
            {
              text: 'Some warnings mean facts would be lost or misplaced: tick the box to import anyway, or fix the document',
              href: '#acceptWarnings',
            },
          ]);
        }
        return refused(request, reply, error, choices);
      }
    },
  );
};
