import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Ref } from '../../../../events/plan/common.ts';
import { Sha256 } from '../../../../events/plan/evidence-file-attached.v1.ts';
import { PlanId } from '../../../api/http/plan-params.ts';
import { HttpProblem } from '../../../api/http/problem.ts';
import { executeCommand } from '../../../http/command-route.ts';
import { logRefusal, toProblem } from '../../../http/error-handler.ts';
import { evidenceFileOfPlan, sendEvidenceFile } from '../../../http/evidence/download-routes.ts';
import { discardUnused, MISSING_FILE, multipartLimits, readUpload, receivedFileOf } from '../../../http/evidence/upload.ts';
import { renderPage } from '../render.ts';
import { notFoundPage } from './not-found.ts';
import { refusedPage } from './refused-page.ts';
import { isRetracted, retractedPage } from './retracted-page.ts';
import { notOursRefusal } from '../../records-on.ts';
import type { WebRouteDeps } from '../web-deps.ts';

const ActionParams = z.object({ planId: PlanId, ref: Ref });
const DownloadParams = z.object({ planId: PlanId, sha256: Sha256 });
const FIELDS = new Set(['_csrf', 'title']);
const CHOOSE_THE_FILE = 'Choose the file to attach';
const refusals = new WeakMap<FastifyRequest, { status: number; text: string }>();
/** The page for a file whose content was erased: the ledger keeps its hash and who erased it, never the content again. */
const erasedPage = (detail: string | undefined) => {
  const title = "This file's content was erased";
  return { pageTitle: title, problem: { title, detail: `${detail ?? title}. It cannot be downloaded again.` } };
};

/**
 * Evidence files on the pages: attaching one to an action (the API's own upload checks and
 * command, the file streamed to the store and put in place just before the event), and
 * downloading one where evidence is listed, with the API's headers and access log.
 */
export const evidenceFilePages = (deps: WebRouteDeps) => async (app: FastifyInstance) => {
  const evidence = deps.evidence;
  if (!evidence) return;
  await app.register(multipart, multipartLimits(evidence.settings));
  const maxMegabytes = Math.floor(evidence.settings.maxBytes / 1048576);
  // Whatever the answer, a staged file no event took is dropped before it leaves.
  app.addHook('onSend', async (request, _reply, payload) => {
    await discardUnused(request);
    return payload;
  });

  const form = async (
    request: FastifyRequest,
    reply: FastifyReply,
    planId: string,
    ref: string,
    error?: { status: number; text: string },
  ) =>
    renderPage(
      request,
      reply,
      'evidence-upload.njk',
      {
        pageTitle: `Attach an evidence file to action ${ref}`,
        planId,
        // The plan as people know it, by its title.
        planTitle: (await deps.read.reader.planDoc(planId))?.plan.title ?? planId,
        ref,
        maxMegabytes,
        title:
          typeof (request.body as { title?: unknown } | undefined)?.title === 'string' ? (request.body as { title: string }).title : '',
        ...(error ? { errors: [{ text: error.text, href: '#file' }] } : {}),
      },
      error?.status ?? 200,
    );

  /** The plan and action an upload names, when both exist (an address typed or kept from before may name neither). */
  const actionOf = async (request: FastifyRequest) => {
    const params = ActionParams.safeParse(request.params);
    if (!params.success) return undefined;
    const doc = await deps.read.reader.planDoc(params.data.planId);
    const action = doc?.actions.find((a) => a.ref === params.data.ref);
    return doc && action ? { ...params.data, doc, action } : undefined;
  };
  const noSuchForm = (request: FastifyRequest, reply: FastifyReply) =>
    notFoundPage(request, reply, 'No such form', 'There is no such action or form.');

  const command = { access: 'command' as const, page: true };
  app.get('/plans/:planId/actions/:ref/evidence-files', { config: command, schema: { hide: true } }, async (request, reply) => {
    const action = await actionOf(request);
    if (!action) return noSuchForm(request, reply);
    // Said before a file is chosen, as the other forms say it (form-routes.ts); the command path still decides.
    const person = request.authentication?.kind === 'principal' ? request.authentication.principal : undefined;
    const notOurs = person && notOursRefusal(person, action.doc, action.action, deps.read.directory.canonical);
    if (notOurs) return refusedPage(request, reply, 403, 'You cannot see this page', notOurs);
    return form(request, reply, action.planId, action.ref);
  });

  const upload = readUpload(evidence.blobs, evidence.settings, FIELDS, deps.clock);
  app.post(
    '/plans/:planId/actions/:ref/evidence-files',
    {
      config: command,
      schema: { hide: true },
      // A refused file is shown on the form, not as a bare error page; the CSRF check still runs on the fields read.
      preValidation: async (request) => {
        try {
          await upload(request);
        } catch (error) {
          if (!(error instanceof HttpProblem)) throw error;
          // A form sent with no file chosen is asked for one, in the page's words rather than the API's.
          const text = error.problem.code === MISSING_FILE ? CHOOSE_THE_FILE : (error.problem.detail ?? error.problem.title);
          refusals.set(request, { status: error.problem.status, text });
        }
      },
      preHandler: app.csrfProtection,
    },
    async (request, reply) => {
      const action = await actionOf(request);
      if (!action) return noSuchForm(request, reply);
      const { planId, ref } = action;
      const refused = refusals.get(request);
      const file = receivedFileOf(request);
      if (refused || !file) return form(request, reply, planId, ref, refused ?? { status: 400, text: CHOOSE_THE_FILE });
      const erasure = deps.read.evidenceFiles?.erasureOf(file.file.sha256);
      if (erasure)
        return form(request, reply, planId, ref, { status: 409, text: `This file's content was erased on ${erasure.recordedAt}` });
      const title = (request.body as { title?: string }).title?.trim() || file.file.fileName.slice(0, 500);
      try {
        await executeCommand(
          deps.commands,
          request,
          planId,
          { type: 'AttachEvidenceFile', data: { target: { kind: 'action', ref }, title, file: file.file } },
          undefined,
          { beforeAppend: file.commitBeforeAppend },
        );
      } catch (error) {
        const problem = toProblem(error as never);
        if (!problem) throw error;
        logRefusal(request, error, problem);
        return form(request, reply, planId, ref, { status: problem.status, text: problem.detail ?? problem.title });
      }
      return reply
        .code(303)
        .header('location', `/web/plans/${planId}/actions/${encodeURIComponent(ref)}`)
        .send();
    },
  );

  app.get(
    '/plans/:planId/evidence-files/:sha256',
    { config: { access: 'projection' as const, page: true, auditRead: true, download: true }, schema: { hide: true } },
    async (request, reply) => {
      const params = DownloadParams.safeParse(request.params);
      if (!params.success) return notFoundPage(request, reply, 'No such evidence file', 'No evidence file is at this address.');
      // At the page's clocks, as the page that linked it: a plan retracted then is in no page, and its files are not served as its.
      const doc = await deps.read.reader.planDoc(params.data.planId, request.timeTravel?.clocks);
      if (!doc) return notFoundPage(request, reply, 'No such evidence file', 'No plan has this name.');
      const { planId, sha256 } = params.data;
      if (isRetracted(doc)) return retractedPage(request, reply, planId, doc);
      try {
        return await sendEvidenceFile(
          request,
          reply,
          evidence.blobs,
          planId,
          evidenceFileOfPlan(doc, sha256),
          deps.read.evidenceFiles?.erasureOf(sha256),
        );
      } catch (error) {
        // Refused before anything was sent (the file is not in the plan, or its content was erased): a page saying why.
        if (!(error instanceof HttpProblem) || reply.sent) throw error;
        const { status, detail } = error.problem;
        if (status === 404)
          return notFoundPage(request, reply, 'No such evidence file', 'This plan lists no evidence file with this hash.');
        if (status === 410) return renderPage(request, reply, 'refused.njk', erasedPage(detail), 410);
        throw error;
      }
    },
  );
};
