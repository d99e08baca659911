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
import { discardUnused, multipartLimits, readUpload, receivedFileOf } from '../../../http/evidence/upload.ts';
import { renderPage } from '../render.ts';
import type { WebRouteDeps } from '../web-deps.ts';

const ActionParams = z.object({ planId: PlanId, ref: Ref });
const DownloadParams = z.object({ planId: PlanId, sha256: Sha256 });
const FIELDS = new Set(['_csrf', 'title']);
const refusals = new WeakMap<FastifyRequest, { status: number; text: string }>();

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

  const command = { access: 'command' as const, page: true };
  app.get('/plans/:planId/actions/:ref/evidence-files', { config: command, schema: { hide: true } }, async (request, reply) => {
    const { planId, ref } = ActionParams.parse(request.params);
    return form(request, reply, planId, ref);
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
          refusals.set(request, { status: error.problem.status, text: error.problem.detail ?? error.problem.title });
        }
      },
      preHandler: app.csrfProtection,
    },
    async (request, reply) => {
      const { planId, ref } = ActionParams.parse(request.params);
      const refused = refusals.get(request);
      const file = receivedFileOf(request);
      if (refused || !file) return form(request, reply, planId, ref, refused ?? { status: 400, text: 'Choose the file to attach' });
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
        logRefusal(request.log, error, problem);
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
    { config: { access: 'projection' as const, page: true, auditRead: true }, schema: { hide: true } },
    async (request, reply) => {
      const { planId, sha256 } = DownloadParams.parse(request.params);
      const doc = await deps.read.reader.planDoc(planId);
      if (!doc) throw new HttpProblem({ status: 404, code: 'plan-not-found', title: 'Not found', detail: `No plan ${planId}` });
      return sendEvidenceFile(
        request,
        reply,
        evidence.blobs,
        planId,
        evidenceFileOfPlan(doc, sha256),
        deps.read.evidenceFiles?.erasureOf(sha256),
      );
    },
  );
};
