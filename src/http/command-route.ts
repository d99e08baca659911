import type { FastifyRequest } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { etagOf, type CommandAccess, type RunCommand } from '../api/http/command-routes.ts';
import { badRequest } from '../api/http/problem.ts';
import type { CommandHandler } from '../commands/command-path.ts';
import type { PlanCommand } from '../domain/plan/commands.ts';
import type { Plan } from '../domain/plan/state.ts';
import type { AppendResult } from '../store/port.ts';
import { correlationIdOf, TRACE_ID } from './tracing-headers.ts';

export type PlanCommandAccess = CommandAccess<PlanCommand, Plan>;

/** Strong ETags carry the plan revision: "3". A weak or malformed If-Match is refused rather than ignored. */
const parseIfMatch = (header: string | undefined): bigint | undefined => {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*"(\d{1,19})"\s*$/.exec(header);
  if (!match) throw badRequest('invalid-if-match', 'If-Match must be the strong ETag of the plan, such as "3"');
  return BigInt(match[1]!);
};

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const acceptedBody = (planId: string, result: AppendResult) => ({
  planId,
  revision: Number(result.nextExpectedRevision),
  firstPosition: result.firstPosition.toString(),
  position: result.lastPosition.toString(),
  eventIds: result.eventIds,
  replayed: result.replayed,
});

/**
 * How the app runs a command for a request: the caller's Idempotency-Key (or a fresh id),
 * If-Match, correlation id and identity, through the one command path; 201 with the new
 * revision as ETag and the global position.
 */
export const commandRunner =
  (handle: CommandHandler, access: PlanCommandAccess): RunCommand<PlanCommand> =>
  async (request, reply, planId, command, effectiveOn) => {
    const key = header(request, 'idempotency-key');
    if (key !== undefined && !TRACE_ID.test(key))
      throw badRequest('invalid-idempotency-key', 'Idempotency-Key must be 1 to 200 visible ASCII characters');
    const correlationId = correlationIdOf(request);
    const { authorise } = access;
    const result = await handle(planId, command, {
      actor: access.actorOf(request),
      commandId: key ?? uuidv7(),
      freshCommandId: key === undefined,
      correlationId,
      provenance: { source: 'api' },
      ifMatchRevision: parseIfMatch(header(request, 'if-match')),
      effectiveOn,
      authorise: authorise && ((plan: Plan) => authorise(request, command, plan)),
    });
    if (result.replayed) reply.header('idempotent-replayed', 'true');
    reply.code(201).header('etag', etagOf(result.nextExpectedRevision)).send(acceptedBody(planId, result));
  };
