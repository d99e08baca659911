import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { executeCommand } from '../../../http/command-route.ts';
import { logRefusal, toProblem } from '../../../http/error-handler.ts';
import type { PlanCommand } from '../../../domain/plan/commands.ts';
import type { Field, FieldError, Values } from '../../forms/form-fields.ts';
import { renderPage } from '../render.ts';
import type { WebRouteDeps } from '../web-deps.ts';
import { planStream } from '../../../../events/streams.ts';

/** What a form page shows besides its fields: where it posts, the plan revision it was opened at, its command id. */
export interface FormPage {
  title: string;
  caption: string;
  action: string;
  back: string;
  fields: Field[];
  values: Values;
  revision: string;
  commandId: string;
  errors?: FieldError[];
  banner?: string;
  extra?: Record<string, unknown>;
}

export const showForm = (request: FastifyRequest, reply: FastifyReply, form: FormPage, status = 200) => {
  const errors = form.errors ?? [];
  const errorFor = Object.fromEntries(errors.map((e) => [e.field, e.text]));
  const href = (field: string) => {
    const f = form.fields.find((x) => x.name === field);
    return `#${f?.kind === 'date' ? `${field}-day` : f?.kind === 'radios' ? `${field}-1` : field}`;
  };
  return renderPage(
    request,
    reply,
    'form.njk',
    {
      pageTitle: form.title,
      form,
      errorFor,
      errors: errors.map((e) => ({ text: e.text, href: href(e.field) })),
      ...form.extra,
    },
    status,
  );
};

/**
 * The same command path as the API: the form's text becomes the API's request body, checked
 * by the API's schema; then the command handler runs it with the form's revision as If-Match
 * and its command id as Idempotency-Key, so a second press of the button records nothing more.
 * Whatever the ledger refuses comes back as the API's problem, shown on the form.
 */
export const submitCommand = async (
  deps: WebRouteDeps,
  request: FastifyRequest,
  planId: string,
  command: PlanCommand,
  effectiveOn: string | undefined,
  hidden: { revision: string; commandId: string },
): Promise<{ ok: true; position: bigint } | { ok: false; stale: boolean; status: number; code: string; text: string }> => {
  try {
    const result = await executeCommand(deps.commands, request, planId, command, effectiveOn, {
      commandId: hidden.commandId,
      ifMatchRevision: BigInt(hidden.revision),
    });
    // Read your write: the history the next page shows is read from the ledger, the status from the read model.
    await deps.read.runner.waitFor(result.lastPosition, 2000);
    return { ok: true, position: result.lastPosition };
  } catch (error) {
    const problem = toProblem(error as FastifyError);
    if (!problem) throw error;
    logRefusal(request, error, problem);
    if (problem.code === 'revision-mismatch')
      return {
        ok: false,
        stale: true,
        status: 412,
        code: problem.code,
        text:
          'This plan changed since you opened this form: someone else recorded something. Nothing of yours was ' +
          'recorded. Check the history, then send the form again if it still stands.',
      };
    return { ok: false, stale: false, status: problem.status, code: problem.code, text: problem.detail ?? problem.title };
  }
};

export const currentRevision = async (deps: WebRouteDeps, planId: string) =>
  String((await deps.store.streamRevision(planStream(planId))) ?? -1n);
