import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { Ref } from '../../../../events/plan/common.ts';
import { PlanId } from '../../../api/http/plan-params.ts';
import { actionForms, type ActionForm } from '../../forms/action-forms.ts';
import { errorsFromIssues, readFields, type Values } from '../../forms/form-fields.ts';
import { fieldGivenTwice, givenTwiceOnForm } from '../fields-once.ts';
import { currentRevision, showForm, submitCommand, type FormPage } from './form-submission.ts';
import { refusalOnField } from '../../forms/refusal-fields.ts';
import type { WebRouteDeps } from '../web-deps.ts';
import { notFoundPage } from './not-found.ts';
import { correctionForm } from './correction-form.ts';
import { notOursRefusal } from '../../records-on.ts';
import { refusedPage } from './refused-page.ts';
import { isRetracted, retractedPage } from './retracted-page.ts';

const FormParams = z.object({ planId: PlanId, ref: Ref, slug: z.string() });
const Hidden = z.object({ revision: z.string().regex(/^\d{1,19}$/), commandId: z.uuid() });

/** The forms on an action (progress, evidence, deadline revision, completion) and the correction form. */
export const formRoutes = (deps: WebRouteDeps) => async (app: FastifyInstance) => {
  const { reader } = deps.read;
  const config = { access: 'command' as const, page: true };
  const formOf = (slug: string): ActionForm | undefined => actionForms.find((f) => f.slug === slug);
  // Only the forms' own names: any other address under an action (`…/actions/1.3/`, a slash typed after it) is a page
  // not found, for every role, rather than a form refused to a reader ("You cannot see this page") or named unknown.
  const names = actionForms.map((f) => f.slug.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const path = `/plans/:planId/actions/:ref/:slug(^(?:${names.join('|')})$)`;

  const load = async (request: FastifyRequest) => {
    const params = FormParams.safeParse(request.params);
    if (!params.success) return undefined;
    const form = formOf(params.data.slug);
    const doc = form && (await reader.planDoc(params.data.planId));
    const action = doc?.actions.find((a) => a.ref === params.data.ref);
    return form && doc && action ? { form, doc, action, ...params.data } : undefined;
  };
  const page = (loaded: NonNullable<Awaited<ReturnType<typeof load>>>, values: Values, revision: string, commandId: string): FormPage => ({
    title: loaded.form.title,
    caption: `Action ${loaded.ref}: ${loaded.action.agreed.text.slice(0, 120)}`,
    action: `/web/plans/${loaded.planId}/actions/${encodeURIComponent(loaded.ref)}/${loaded.form.slug}`,
    back: `/web/plans/${loaded.planId}/actions/${encodeURIComponent(loaded.ref)}`,
    fields: loaded.form.fields,
    values,
    revision,
    commandId,
  });

  /**
   * A form the ledger could not take from this person, said before they fill it in: on a retracted
   * plan, one their role does not use, one on another organisation's action or plan, or one for an action
   * that is closed. The command path still decides when it is sent.
   */
  const refusedForm = (request: FastifyRequest, reply: FastifyReply, loaded: NonNullable<Awaited<ReturnType<typeof load>>>) => {
    if (isRetracted(loaded.doc)) return retractedPage(request, reply, loaded.planId, loaded.doc);
    const principal = request.authentication?.kind === 'principal' ? request.authentication.principal : undefined;
    const { roles, title, onClosed } = loaded.form;
    if (!roles.some((r) => r === principal?.role))
      return refusedPage(
        request,
        reply,
        403,
        'You cannot see this page',
        `${title} is for the ${roles.join(' and ')} role${roles.length > 1 ? 's' : ''}.`,
        'role-not-permitted',
      );
    const notOurs = principal && notOursRefusal(principal, loaded.doc, loaded.action, deps.read.directory.canonical);
    if (notOurs) return refusedPage(request, reply, 403, 'You cannot see this page', notOurs);
    const closure = loaded.action.closure;
    if (closure && closure.kind !== 'reopened' && !onClosed)
      return refusedPage(
        request,
        reply,
        409,
        'This action is closed',
        `Action ${loaded.ref} is ${closure.kind}: ` +
          'the ledger takes no progress update, deadline revision or completion for it unless it is reopened.',
      );
    return undefined;
  };

  app.get(path, { config, schema: { hide: true } }, async (request, reply) => {
    const loaded = await load(request);
    if (!loaded) return notFoundPage(request, reply, 'No such form', 'There is no such action or form.');
    const refused = refusedForm(request, reply, loaded);
    if (refused) return refused;
    return showForm(request, reply, page(loaded, {}, await currentRevision(deps, loaded.planId), uuidv7()));
  });

  app.post(path, { config, schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const loaded = await load(request);
    if (!loaded) return notFoundPage(request, reply, 'No such form', 'There is no such action or form.');
    const values = (request.body ?? {}) as Values;
    const hidden = Hidden.safeParse(values);
    const twice = fieldGivenTwice(request);
    if (twice)
      return showForm(
        request,
        reply,
        {
          ...page(
            loaded,
            values,
            hidden.success ? hidden.data.revision : await currentRevision(deps, loaded.planId),
            hidden.success ? hidden.data.commandId : uuidv7(),
          ),
          errors: [givenTwiceOnForm(twice, loaded.form.fields)],
        },
        400,
      );
    if (!hidden.success)
      return showForm(
        request,
        reply,
        {
          ...page(loaded, values, await currentRevision(deps, loaded.planId), uuidv7()),
          errors: [{ field: loaded.form.fields[0]!.name, text: 'The form was incomplete. Send it again.' }],
        },
        400,
      );
    const again = page(loaded, values, hidden.data.revision, hidden.data.commandId);
    const read = readFields(loaded.form.fields, values);
    const errors = [...read.errors, ...(loaded.form.check?.(read.values) ?? [])];
    if (errors.length) return showForm(request, reply, { ...again, errors }, 400);
    const parsed = loaded.form.schema.safeParse(loaded.form.body(read.values));
    if (!parsed.success)
      return showForm(request, reply, { ...again, errors: errorsFromIssues(parsed.error.issues, loaded.form.fields) }, 400);
    const { effectiveOn, ...data } = parsed.data as { effectiveOn?: string };
    const outcome = await submitCommand(deps, request, loaded.planId, loaded.form.command(loaded.ref, data), effectiveOn, hidden.data);
    if (!outcome.ok) {
      // A stale form is offered again at the plan's current revision: sending it now is a choice made knowing that.
      const revision = outcome.stale ? await currentRevision(deps, loaded.planId) : hidden.data.revision;
      return showForm(
        request,
        reply,
        { ...again, revision, errors: [refusalOnField(outcome, loaded.form.fields, loaded.form.fields[0]!.name)] },
        outcome.status,
      );
    }
    return reply
      .code(303)
      .header(
        'location',
        // The history page holding what was recorded (an action's history may run to several), for the banner to point to.
        `/web/plans/${loaded.planId}/actions/${encodeURIComponent(loaded.ref)}` +
          `?recorded=${loaded.form.slug}&shown=${outcome.position}#history`,
      )
      .send();
  });

  await app.register(correctionForm(deps));
};
