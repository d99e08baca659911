import type { FastifyInstance, FastifyRequest, RawRequestDefaultExpression } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { badRequest } from '../api/http/problem.ts';

/**
 * Ids that travel with a request into logs and, as the correlation id, into the hashed event
 * envelope: 1 to 200 visible ASCII characters (the envelope's own limit), like an
 * Idempotency-Key. Anything else (empty, longer, a space, non-ASCII: Node reads header bytes
 * as latin-1, so "é" would be kept as "Ã©") is not what the caller meant to record.
 */
export const TRACE_ID = /^[\x21-\x7e]{1,200}$/;

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * The request id: the caller's X-Request-Id when it is a usable id, so logs join up across
 * services, else a fresh time-ordered one. It only labels logs, so a bad one is replaced
 * (and the replacement logged, see logReplacedRequestIds) rather than refused.
 */
export const requestIdOf = (raw: RawRequestDefaultExpression): string => {
  const sent = single(raw.headers['x-request-id']);
  return sent !== undefined && TRACE_ID.test(sent) ? sent : uuidv7();
};

export const logReplacedRequestIds = (app: FastifyInstance) => {
  app.addHook('onRequest', async (request) => {
    const sent = single(request.headers['x-request-id']);
    if (sent !== undefined && sent !== request.id)
      request.log.info(
        { sentRequestId: sent.slice(0, 80), sentLength: sent.length },
        'X-Request-Id unusable (not 1-200 visible ASCII characters): replaced by a generated id',
      );
  });
};

/**
 * The correlation id an event records: the caller's X-Correlation-Id, refused with 400
 * when it is not a usable id (it is stored in the hash chain for good, so it is not
 * silently rewritten), or the request id when none was sent.
 */
export const correlationIdOf = (request: FastifyRequest): string => {
  const sent = single(request.headers['x-correlation-id']);
  if (sent === undefined) return request.id;
  if (!TRACE_ID.test(sent))
    throw badRequest(
      'invalid-correlation-id',
      'X-Correlation-Id must be 1 to 200 visible ASCII characters (letters, digits, punctuation; no spaces)',
    );
  return sent;
};
