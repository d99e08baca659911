import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { evolveTimeline, initialTimeline, timelinePage } from '../../../../projections/timeline/timeline.ts';
import { PlanId } from '../../../api/http/plan-params.ts';
import { CorrectionBody } from '../../../domain/plan/corrections/http/correction-routes.ts';
import { errorsFromIssues, readFields, type Field, type Values } from '../../forms/form-fields.ts';
import { fieldGivenTwice, givenTwiceOnForm } from '../fields-once.ts';
import type { WebRouteDeps } from '../web-deps.ts';
import { currentRevision, showForm, submitCommand, type FormPage } from './form-submission.ts';
import { refusalOnField } from '../../forms/refusal-fields.ts';
import {
  boxesOf,
  correctableFields,
  correctedValue,
  emptiedFields,
  isCorrectable,
  openedValues,
  sentBoxes,
  standingValues,
  withoutCorrectable,
} from '../../forms/correction-fields.ts';
import { notFoundPage } from './not-found.ts';
import { refusedPage } from './refused-page.ts';
import { managesPlan } from '../../records-on.ts';
import type { PlanDoc } from '../../../../projections/plan-status/document.ts';
import { HISTORY_PAGE_SIZE, previousPage } from '../../history-rows.ts';
import { renderPage } from '../render.ts';

const Query = z.object({ eventId: z.uuid() });
const ChooserQuery = z.object({ after: z.string().regex(/^\d{1,15}$/) });
const Hidden = z.object({ revision: z.string().regex(/^\d{1,19}$/), commandId: z.uuid(), eventId: z.uuid() });

/**
 * Correcting an entry: nothing is overwritten. The form records an EntryCorrected naming the
 * entry, the fields whose values change and why, through the same command and rules as the
 * API's POST /plans/:planId/corrections (which entries, fields and dates may be corrected is
 * the decider's to say).
 */
export const correctionForm = (deps: WebRouteDeps) => async (app: FastifyInstance) => {
  const config = { access: 'command' as const, page: true };

  const timelineOf = async (planId: string) => {
    const state = initialTimeline();
    for await (const fact of deps.read.reader.planFacts(planId)) evolveTimeline(state, fact, deps.read.directory.canonical);
    return state;
  };
  const entryOf = async (planId: string, eventId: string) => (await timelineOf(planId)).byEvent.get(eventId);
  type Entry = NonNullable<Awaited<ReturnType<typeof entryOf>>>;
  /**
   * Whether to ask when the entry really happened: not for a completion, whose date is when it
   * happened (its business date moves with it), nor for a correction, whose own date is never corrected.
   */
  const asksForDate = (type: string, data: Record<string, unknown>) => type !== 'EntryCorrected' && typeof data.completedOn !== 'string';
  const fieldsOf = (type: string, data: Record<string, unknown>): Field[] => [
    ...correctableFields(data),
    ...(!asksForDate(type, data)
      ? []
      : [
          {
            kind: 'date',
            name: 'correctedEffectiveOn',
            label: 'When it really happened',
            hint: 'Only if the entry was recorded with the wrong date. Leave the day empty for a month.',
            optional: true,
            dayOptional: true,
          } satisfies Field,
        ]),
    {
      kind: 'textarea',
      name: 'correctionReason',
      label: 'Why this correction',
      hint: 'Shown beside the correction in the history for as long as the ledger is kept.',
      missing: 'Enter why this correction is made',
    },
  ];
  /** The values the form opens with: the entry's correctable fields as they stand. */
  const standing = (entry: Entry): Values => standingValues(fieldsOf(entry.entry.type, entry.data), entry.data);
  const page = (planId: string, eventId: string, entry: Entry, values: Values, revision: string, commandId: string): FormPage => {
    const fields = fieldsOf(entry.entry.type, entry.data);
    return {
      title: 'Correct an entry',
      caption: entry.entry.summary.slice(0, 160),
      action: `/web/plans/${planId}/corrections/new?eventId=${eventId}`,
      back:
        entry.about.kind === 'action' && entry.about.ref
          ? `/web/plans/${planId}/actions/${encodeURIComponent(entry.about.ref)}`
          : `/web/plans/${planId}`,
      fields,
      // The form opens with the entry's current values; change only what was wrong.
      values: { ...boxesOf(fields, standing(entry)), ...values },
      revision,
      commandId,
      // What the form opened with goes back with it, so only the fields the person changed are corrected.
      extra: { correcting: entry.entry, hiddenExtra: { eventId, opened: JSON.stringify(standing(entry)) } },
    };
  };
  const missing = (request: FastifyRequest, reply: FastifyReply) =>
    notFoundPage(
      request,
      reply,
      'Choose an entry to correct',
      'Open the history of an action and choose "Correct this entry" beside the entry that is wrong.',
    );

  /**
   * A correction the ledger would not take from this person, said before they choose or fill anything in: only a plan
   * manager of an organisation the plan names corrects its entries (src/access/authorise-command.ts still decides).
   */
  const notTheirs = (request: FastifyRequest, reply: FastifyReply, doc: PlanDoc) => {
    const person = request.authentication?.kind === 'principal' ? request.authentication.principal : undefined;
    if (managesPlan(person, doc, deps.read.directory.canonical)) return undefined;
    const detail =
      person?.role === 'plan-manager'
        ? `${deps.read.directory.canonical(person.organisation)} neither owns plan ${doc.planId} nor is named on it, ` +
          'so you cannot correct its entries.'
        : 'Correcting an entry is for the plan-manager role.';
    return refusedPage(
      request,
      reply,
      403,
      'You cannot see this page',
      detail,
      person?.role === 'plan-manager' ? undefined : 'role-not-permitted',
    );
  };

  app.get('/plans/:planId/corrections/new', { config, schema: { hide: true } }, async (request, reply) => {
    const planId = PlanId.safeParse((request.params as { planId?: unknown }).planId);
    const doc = planId.success ? await deps.read.reader.planDoc(planId.data) : undefined;
    if (doc && !doc.retraction) {
      const refused = notTheirs(request, reply, doc);
      if (refused) return refused;
    }
    // Asked for with no entry (the plan page's "Correct an earlier entry"): where each entry is offered for correction.
    if (planId.success && (request.query as { eventId?: unknown }).eventId === undefined) {
      if (doc && !doc.retraction) {
        // The plan's own entries have no history page of their own to offer them: they are offered here,
        // a page at a time as an action's history is. A correction is corrected through the API, as there.
        const timeline = (await timelineOf(planId.data)).entries;
        const entries = timeline.filter((e) => e.about.kind !== 'action' && e.type !== 'EntryCorrected');
        // An entry already corrected says so, with the latest correction's date: its summary is still the entry as recorded.
        const correctedAt = new Map(timeline.flatMap((e) => (e.correctedEventId ? [[e.correctedEventId, e.recordedAt] as const] : [])));
        const after = ChooserQuery.safeParse(request.query);
        // A cursor that names no entry (a stale bookmark) shows the first page rather than an error.
        const shown =
          timelinePage(entries, after.success ? after.data.after : undefined, HISTORY_PAGE_SIZE) ??
          timelinePage(entries, undefined, HISTORY_PAGE_SIZE)!;
        return renderPage(request, reply, 'correction-choose.njk', {
          pageTitle: `Choose an entry to correct: ${doc.plan.title}`,
          plan: { planId: doc.planId, title: doc.plan.title },
          actions: doc.actions.map((a) => ({ ref: a.ref, text: a.agreed.text })),
          planEntries: shown.entries.map((e) => ({ ...e, correctedAt: correctedAt.get(e.eventId) })),
          first: shown.entries.length ? entries.indexOf(shown.entries[0]!) + 1 : 0,
          total: entries.length,
          next: shown.next,
          previous: previousPage(entries, shown.entries[0]),
        });
      }
    }
    const query = Query.safeParse(request.query);
    if (!planId.success || !query.success) return missing(request, reply);
    const entry = await entryOf(planId.data, query.data.eventId);
    if (!entry) return missing(request, reply);
    return showForm(request, reply, page(planId.data, query.data.eventId, entry, {}, await currentRevision(deps, planId.data), uuidv7()));
  });

  app.post('/plans/:planId/corrections/new', { config, schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const planId = PlanId.safeParse((request.params as { planId?: unknown }).planId);
    const values = (request.body ?? {}) as Values;
    const hidden = Hidden.safeParse(values);
    if (!planId.success || !hidden.success) return missing(request, reply);
    const entry = await entryOf(planId.data, hidden.data.eventId);
    if (!entry) return missing(request, reply);
    const form = page(planId.data, hidden.data.eventId, entry, values, hidden.data.revision, hidden.data.commandId);
    const twice = fieldGivenTwice(request);
    if (twice) return showForm(request, reply, { ...form, errors: [givenTwiceOnForm(twice, form.fields)] }, 400);
    const read = readFields(form.fields, values);
    if (read.errors.length) return showForm(request, reply, { ...form, errors: read.errors }, 400);
    // A field counts as corrected only where the person changed what the form opened with: one left as it
    // was must not put back a value someone else has corrected since.
    const opened = openedValues(values.opened) ?? standing(entry);
    // A correction replaces a value, it cannot remove one: a box emptied is said to be, not taken as left alone.
    const emptied = emptiedFields(form.fields, values, read.values, opened);
    if (emptied.length) return showForm(request, reply, { ...form, errors: emptied }, 400);
    const edited = form.fields.filter(
      (f) => isCorrectable(f.name) && read.values[f.name] !== undefined && read.values[f.name] !== opened[f.name]?.trim(),
    );
    const inForce = standing(entry);
    const changes = Object.fromEntries(
      edited.filter((f) => read.values[f.name] !== inForce[f.name]).map((f) => [f.name, correctedValue(f.name, read.values[f.name]!)]),
    );
    const body = {
      correctedEventId: hidden.data.eventId,
      changes,
      reason: read.values.correctionReason,
      ...(read.values.correctedEffectiveOn ? { correctedEffectiveOn: read.values.correctedEffectiveOn } : {}),
    };
    const parsed = CorrectionBody.safeParse(body);
    if (!parsed.success)
      return showForm(
        request,
        reply,
        {
          ...form,
          errors: errorsFromIssues(parsed.error.issues, form.fields, (f) => f.label).map((e) =>
            e.text.includes('at least one field') ? { ...e, text: 'Change at least one value, or give the date it really happened' } : e,
          ),
        },
        400,
      );
    const { effectiveOn, ...data } = parsed.data;
    const outcome = await submitCommand(deps, request, planId.data, { type: 'CorrectEntry', data }, effectiveOn, hidden.data);
    if (!outcome.ok && !outcome.stale)
      return showForm(
        request,
        reply,
        { ...form, errors: [refusalOnField(asOnThisForm(outcome), form.fields, edited[0]?.name ?? 'correctionReason')] },
        outcome.status,
      );
    if (!outcome.ok) {
      // The entry as it stands now, with what this person changed laid over it, to send again if it still stands.
      const now = await entryOf(planId.data, hidden.data.eventId);
      if (!now) return missing(request, reply);
      const ownEdits = sentBoxes(edited, values);
      const standsNow = standing(now);
      const changedSince = form.fields.filter((f) => isCorrectable(f.name) && standsNow[f.name] !== opened[f.name]).map((f) => f.label);
      const text = changedSince.length ? `${outcome.text} Changed since you opened it: ${changedSince.join(', ')}.` : outcome.text;
      const again = page(
        planId.data,
        hidden.data.eventId,
        now,
        { ...withoutCorrectable(form.fields, values), ...ownEdits },
        await currentRevision(deps, planId.data),
        hidden.data.commandId,
      );
      return showForm(request, reply, { ...again, errors: [{ field: edited[0]?.name ?? 'correctionReason', text }] }, outcome.status);
    }
    const to =
      entry.about.kind === 'action' && entry.about.ref
        ? `/web/plans/${planId.data}/actions/${encodeURIComponent(entry.about.ref)}?recorded=correction&shown=${outcome.position}#history`
        : `/web/plans/${planId.data}`;
    return reply.code(303).header('location', to).send();
  });
};

/**
 * A refusal as this form's boxes name things: the correction's own reason reaches the ledger as
 * `reason`, but its box is `correctionReason`, as the entry corrected may have a reason of its own.
 */
const asOnThisForm = (refusal: { code: string; text: string }) =>
  refusal.code === 'forbidden-character' && refusal.text.startsWith('reason holds ')
    ? { ...refusal, text: `correctionReason${refusal.text.slice('reason'.length)}` }
    : refusal;
