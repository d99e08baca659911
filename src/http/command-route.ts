import type { FastifyRequest } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { etagOf, type CommandAccess, type RunCommand } from '../api/http/command-routes.ts';
import { badRequest } from '../api/http/problem.ts';
import type { CommandHandler } from '../commands/command-path.ts';
import type { PlanCommand } from '../domain/plan/commands.ts';
import type { Plan } from '../domain/plan/state.ts';
import type { AppendResult } from '../store/port.ts';
import { correlationIdOf, TRACE_ID } from './tracing-headers.ts';
import { isImportCommandId } from '../import/document-claims.ts';
import { isRealCalendarDate } from '../../events/business-date.ts';

/** Who a command is attributed to and whether the caller may run it (absent only in an app built without access control). */
export type PlanCommandAccess = CommandAccess<PlanCommand, Plan>;

/** What running a command for a request needs: the one command path, and the request's principal. */
export interface CommandRouteDeps extends PlanCommandAccess {
  handle: CommandHandler;
}

/**
 * The revision an If-Match names: a write's ETag ("3") or a live read's ("3@2026-11-23", liveViewEtagOf), whose day
 * says which day's statuses the body showed and is not compared, as a write is decided on the plan, not on a day's
 * view of it. A weak or malformed If-Match is refused rather than ignored.
 */
export const parseIfMatch = (header: string | undefined): bigint | undefined => {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*"(\d{1,19})(?:@(\d{4}-\d{2}-\d{2}))?"\s*$/.exec(header);
  // The day is not compared, but a tag no read could have answered ("3@2026-02-30") is no ETag of the plan.
  if (!match || (match[2] !== undefined && !isRealCalendarDate(match[2])))
    throw badRequest(
      'invalid-if-match',
      'If-Match must be a strong ETag of the plan: "3" as a write answers, or "3@2026-11-23" as a read of the plan now answers',
    );
  return BigInt(match[1]!);
};

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export const acceptedBody = (planId: string, result: AppendResult) => ({
  planId,
  revision: Number(result.nextExpectedRevision),
  firstPosition: result.firstPosition.toString(),
  position: result.lastPosition.toString(),
  eventIds: result.eventIds,
  replayed: result.replayed,
});

/**
 * Runs one command for a request through the command handler, attributed and authorised for
 * the request's principal: the one path every write takes, from the API's routes and from
 * the pages' forms alike. The form gives its own command id and revision; the API reads them
 * from the Idempotency-Key and If-Match headers.
 */
export const executeCommand = (
  deps: CommandRouteDeps,
  request: FastifyRequest,
  planId: string,
  command: PlanCommand,
  effectiveOn: string | undefined,
  given: {
    commandId?: string | undefined;
    ifMatchRevision?: bigint | undefined;
    beforeAppend?: () => Promise<void>;
    /** A route's own refusal, run after the caller's authorisation on the plan and before the decider (throws to refuse). */
    alsoAuthorise?: (plan: Plan) => void;
  } = {},
): Promise<AppendResult> => {
  const key = given.commandId ?? header(request, 'idempotency-key');
  if (key !== undefined && !TRACE_ID.test(key))
    throw badRequest('invalid-idempotency-key', 'Idempotency-Key must be 1 to 200 visible ASCII characters');
  if (given.commandId === undefined && key !== undefined && isImportCommandId(key))
    throw badRequest(
      'idempotency-key-reserved',
      'Idempotency-Key has the form of an import\'s command id ("import-document-" and a sha256, or "import-", 32 hex ' +
        "digits, a plan id and a revision): such ids are the imports' own (docs/import.md)",
    );
  const { authorise } = deps;
  return deps.handle(planId, command, {
    actor: deps.actorOf(request),
    commandId: key ?? uuidv7(),
    freshCommandId: key === undefined,
    correlationId: correlationIdOf(request),
    provenance: { source: 'api' },
    ifMatchRevision: 'ifMatchRevision' in given ? given.ifMatchRevision : parseIfMatch(header(request, 'if-match')),
    effectiveOn,
    authorise:
      authorise &&
      ((plan: Plan) => {
        authorise(request, command, plan);
        given.alsoAuthorise?.(plan);
      }),
    beforeAppend: given.beforeAppend,
  });
};

/** The `run` every write route is given: executeCommand, answered 201 with the new revision as ETag and the global position. */
export const commandRunner =
  (deps: CommandRouteDeps): RunCommand<PlanCommand> =>
  async (request, reply, planId, command, effectiveOn) => {
    const result = await executeCommand(deps, request, planId, command, effectiveOn);
    if (result.replayed) reply.header('idempotent-replayed', 'true');
    reply.code(201).header('etag', etagOf(result.nextExpectedRevision)).send(acceptedBody(planId, result));
  };
