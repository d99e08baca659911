import { attachmentDisposition } from '../attachment-disposition.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BusinessDate } from '../../../events/business-date.ts';
import { Ref } from '../../../events/plan/common.ts';
import { LedgerTime } from '../../../projections/clocks/ledger-time.ts';
import type { ViewDeps } from '../../../projections/views/plan-views.ts';
import { ProblemDetails, problemResponses } from '../../api/http/openapi-responses.ts';
import { PlanId } from '../../api/http/plan-params.ts';
import { badRequest, HttpProblem } from '../../api/http/problem.ts';
import { noteAuditedPlan, type RouteAccessConfig } from '../../api/http/route-access.ts';
import { principalOf } from '../../access/http/request-principal.ts';
import { principalId } from '../../access/principal.ts';
import { OrganisationName } from '../../domain/organisation-name.ts';
import { CheckpointRefused, NoCheckpoint } from '../../integrity/errors.ts';
import type { LedgerIntegrity } from '../../integrity/ledger-integrity.ts';
import { LedgerDamaged } from '../../integrity/tree-index.ts';
import { SignedView } from '../../integrity/view-signature.ts';
import type { EventStore } from '../../store/port.ts';
import { ledgerNow } from '../../store/ledger-now.ts';
import {
  OPTIONS_FOR,
  readNamedView,
  resolveViewQuery,
  SUBJECT_WORDS,
  subjectLineProblem,
  VIEW_SUBJECTS,
  VIEWS,
  type ViewName,
} from '../../views/named-view.ts';
import { signNamedView } from '../../views/sign-named-view.ts';
import { readQuery } from '../read-query.ts';
import { SIGNING_READ } from '../signing-read.ts';

export interface SignedViewRouteDeps {
  read: ViewDeps;
  store: Pick<EventStore, 'headLedgerTime'>;
  ledger: LedgerIntegrity;
  clock?: () => Date;
}

const Params = z.object({ view: z.enum(VIEWS).describe('The view, as `ledger view` names it') }).strict();
const Query = z
  .object({
    subject: z
      .string()
      .optional()
      .describe('The plan id (plan, timeline, changes) or organisation name (organisation); the other views take none'),
    asOf: readQuery.asOf,
    effectiveOn: readQuery.effectiveOn,
    from: z
      .string()
      .optional()
      .describe('deadlines: the first day or month of the window; changes: the earlier point, on the clock `clock` names'),
    to: z.string().optional().describe('deadlines: the last day or month of the window; changes: the later point'),
    clock: z
      .enum(['recorded', 'effective'])
      .optional()
      .describe('changes: recorded (from and to are ledger times, the default) or effective (business dates)'),
    organisation: OrganisationName.optional().describe('deadlines: only actions this organisation leads (any alias)'),
    order: z.enum(['recorded', 'effective']).optional().describe('timeline: as the ledger learned it (default) or as it happened'),
    action: Ref.optional().describe("timeline: one action's timeline"),
  })
  .strict();
type Query = z.infer<typeof Query>;

/** A refusal of one query parameter, as the API's own validation words it. */
const refused = (parameter: string, message: string) =>
  badRequest('validation-failed', `querystring.${parameter}: ${message}`, [{ location: `querystring.${parameter}`, message }]);

/** The first of a schema's complaints about a value, or undefined when it takes it. */
const complaint = (schema: z.ZodType, value: string): string | undefined => {
  const checked = schema.safeParse(value);
  return checked.success ? undefined : (checked.error.issues[0]?.message ?? 'is not valid here');
};

/**
 * What the view takes of the query, checked as `ledger view` checks its options (src/cli/view-options.ts), so that a
 * signed view from the API reads again with `ledger verify-view -d`: a subject where the view takes one, of its kind;
 * only the options the view reads; for changes, both ends on the clock it names and not that clock's own parameter;
 * for deadlines, a whole window or none.
 */
const checkQuery = (view: ViewName, query: Query): void => {
  const kind = VIEW_SUBJECTS[view];
  if (kind && query.subject === undefined) throw refused('subject', `${view} needs ${SUBJECT_WORDS[kind]}`);
  if (!kind && query.subject !== undefined) throw refused('subject', `${view} takes no plan or organisation`);
  if (query.subject !== undefined) {
    const problem = subjectLineProblem(query.subject) ?? complaint(kind === 'organisation' ? OrganisationName : PlanId, query.subject);
    if (problem) throw refused('subject', problem);
  }
  for (const [option, views] of OPTIONS_FOR)
    if (query[option] !== undefined && !views.includes(view)) throw refused(option, `is read by ${views.join(', ')} only, not by ${view}`);
  if (view === 'changes') {
    const clock = query.clock ?? 'recorded';
    if (query.from === undefined) throw refused('from', 'changes needs from and to');
    if (query.to === undefined) throw refused('to', 'changes needs from and to');
    if (clock === 'recorded' && query.asOf !== undefined)
      throw refused('asOf', 'does not go with clock=recorded: from and to are the ledger times compared');
    if (clock === 'effective' && query.effectiveOn !== undefined)
      throw refused('effectiveOn', 'does not go with clock=effective: from and to are the business dates compared');
    for (const end of ['from', 'to'] as const) {
      const problem = complaint(clock === 'recorded' ? LedgerTime : BusinessDate, query[end]!);
      if (problem) throw refused(end, problem);
    }
  }
  if (view === 'deadlines') {
    for (const end of ['from', 'to'] as const) {
      const problem = query[end] === undefined ? undefined : complaint(BusinessDate, query[end]);
      if (problem) throw refused(end, problem);
    }
    if ((query.from === undefined) !== (query.to === undefined))
      throw refused(query.from === undefined ? 'from' : 'to', 'give both from and to, or neither for the current quarter');
  }
};

/** Who read it, as the access log names them (the principal's id), on one line as the envelope's `readBy` must be. */
const readerOf = (request: FastifyRequest): string => {
  const principal = principalOf(request);
  return principal ? principalId(principal).replace(/[\r\n]+/g, ' ') : 'api';
};

/** The file name offered; a slash in an organisation's name is not a folder (content-disposition keeps only what follows the last). */
const fileName = (view: ViewName, subject: string | undefined, asOf: string) => {
  const named = subject === undefined ? view : `${view}-${subject.replace(/[/\\]/g, '-')}`;
  return `${named}-as-of-${asOf.replace(/[:.]/g, '-')}.signed-view.json`;
};

/**
 * The plan of a view of one plan's detail, noted for the access log as soon as the request is
 * authenticated: a refused attempt (a wrong option, a role not permitted) is found under its
 * plan, as one at /plans/:planId is.
 */
const notePlanOfView = async (request: FastifyRequest) => {
  const { view } = request.params as { view?: string };
  const { subject } = (request.query ?? {}) as { subject?: unknown };
  if (typeof subject !== 'string' || !(VIEWS as readonly string[]).includes(view ?? '')) return;
  if (VIEW_SUBJECTS[view as ViewName] === 'plan' && PlanId.safeParse(subject).success) noteAuditedPlan(request, subject);
};

/**
 * GET /signed-views/{view}: what `ledger view --signed` writes, for an auditor with a key rather than a shell on the
 * ledger's machine. An audit read, recorded in the access log with its plan for the views of one plan's detail.
 */
export const signedViewRoutes = (deps: SignedViewRouteDeps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const config: RouteAccessConfig = { access: 'audit', auditRead: true };
  const clock = deps.clock ?? (() => new Date());
  app.get(
    '/signed-views/:view',
    {
      config,
      ...SIGNING_READ,
      onRequest: notePlanOfView,
      schema: {
        tags: ['integrity'],
        summary: 'A view at its clocks in an envelope the ledger signs, for `ledger verify-view` (recorded in the access log)',
        description:
          'The answer `ledger view` writes (a list or report whole, not paged) with the view, its options and the clocks as ' +
          'resolved, the ledger position it includes, who read it and when, the release, a signed checkpoint whose tree ' +
          "holds that position, and the ledger's signature over all of it. Without asOf, or with one still to come, it is " +
          'read at the ledger time now. Signs a checkpoint first when the latest does not hold the position.',
        params: Params,
        querystring: Query,
        // 500 ledger-damaged aside, which no client can act on: 503 when the read models move under the read, as other reads.
        response: { 200: SignedView, ...problemResponses, 503: ProblemDetails },
      },
    },
    async (request, reply) => {
      const { view } = request.params;
      const { subject } = request.query;
      checkQuery(view, request.query);
      const readAt = clock();
      const query = resolveViewQuery(view, request.query, await ledgerNow(deps.store, readAt));
      const read = await readNamedView(deps.read, view, subject, query);
      const signed = await signNamedView(deps.ledger, { view, subject, query, readBy: readerOf(request), readAt }, read).catch(
        (error: unknown) => {
          if (error instanceof CheckpointRefused)
            throw new HttpProblem({ status: 409, code: 'checkpoint-refused', title: 'Conflict with the ledger', detail: error.message });
          // As POST /ledger/checkpoints answers an empty ledger (no-checkpoint is a 404 there, for a ledger not signed yet).
          if (error instanceof NoCheckpoint)
            throw new HttpProblem({
              status: 409,
              code: 'ledger-empty',
              title: 'Conflict with the ledger',
              detail: 'The ledger holds no events, so no checkpoint can stand under a signed view',
            });
          if (error instanceof LedgerDamaged)
            throw new HttpProblem({
              status: 500,
              code: 'ledger-damaged',
              title: 'Internal server error',
              detail: `The ledger cannot sign the view: ${error.message}. An operator should run \`ledger verify\`.`,
            });
          throw error;
        },
      );
      return reply
        .header('content-disposition', attachmentDisposition(fileName(view, subject, query.asOf)))
        .header('cache-control', 'private, no-store')
        .send(signed);
    },
  );
};
