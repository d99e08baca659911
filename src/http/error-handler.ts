import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { UnknownEventType } from '../../events/catalogue.ts';
import { ReadRequestError } from '../../projections/clocks/read-request-error.ts';
import { HistoryChanged } from '../../projections/history/storage/history-changed.ts';
import { DomainError } from '../domain/errors.ts';
import { AppendTooLarge, IdempotencyKeyReused, StoreUnavailable, WrongExpectedRevision } from '../store/port.ts';
import { isOutOfSpace, STORAGE_FULL_RETRY_AFTER_SECONDS } from '../store/storage-full.ts';
import { HttpProblem, sendProblem, type Problem } from '../api/http/problem.ts';
import { plainValidationMessage } from './plain-validation-message.ts';
import { trackRouteMethods, type RouteMethods } from './route-methods.ts';
import { sendUndecodablePage } from './undecodable-page.ts';
import { isPageAddress } from './page-address.ts';
import { PreconditionFailed } from '../commands/command-requests.ts';
import { giveRateLimitBack } from '../access/http/rate-refunds.ts';

const titles: Record<number, string> = {
  400: 'Bad request',
  404: 'Not found',
  409: 'Conflict with the ledger',
  412: 'Precondition failed',
  413: 'Request body too large',
  503: 'The ledger store is unavailable',
  415: 'Unsupported media type',
  422: 'Unprocessable request',
};

/** Fastify's own request errors, by code, as stable problem codes. */
const fastifyCodes: Record<string, { status: number; code: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'body-too-large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported-media-type' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'malformed-json' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'malformed-json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid-content-length' },
};

/**
 * The multipart parser's own refusals of a body it cannot read: no boundary in its Content-Type,
 * or a body that ends inside a part. Plain errors with no status of their own, so named here.
 */
const MALFORMED_MULTIPART =
  /^(Multipart: Boundary not found|Unexpected end of multipart data|.+ terminated early due to unexpected end of multipart data)$/;
const isMalformedMultipart = (error: FastifyError) => error.statusCode === undefined && MALFORMED_MULTIPART.test(error.message);

/** Whether a query parameter was given more than once (it then arrives as a list), whatever its schema made of that. */
const givenTwice = (query: unknown, where: string): boolean =>
  where.startsWith('querystring.') &&
  typeof query === 'object' &&
  query !== null &&
  Array.isArray((query as Record<string, unknown>)[where.slice('querystring.'.length)]);

/**
 * The problem details of any failure the API names; undefined for an unexpected one (a 500). The
 * pages' forms show the same. `query` (the request's) lets a repeated parameter be named as such.
 */
export const toProblem = (error: FastifyError, query?: unknown): Problem | undefined => {
  if (error instanceof HttpProblem) return error.problem;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const said = new Set<string>();
    const errors = error.validation.flatMap((v) => {
      const where = [error.validationContext ?? 'request', ...String(v.instancePath).split('/').filter(Boolean)].join('.');
      const message = givenTwice(query, where) ? 'must be given once' : plainValidationMessage(v);
      // Two checks of one value may fail in the same words (a number past 2^53 is neither whole nor in range): say it once.
      if (said.has(`${where}\n${message}`)) return [];
      said.add(`${where}\n${message}`);
      return [{ location: where, message }];
    });
    return {
      status: 400,
      code: 'validation-failed',
      title: 'The request does not match the schema',
      detail: errors.map((e) => `${e.location}: ${e.message}`).join('; '),
      errors,
    };
  }
  if (error instanceof ReadRequestError)
    return {
      status: 400,
      code: error.code,
      title: titles[400]!,
      detail: error.message,
      errors: [{ location: `querystring.${error.parameter}`, message: error.message }],
    };
  if (error instanceof DomainError)
    return { status: error.status, code: error.code, title: titles[error.status] ?? 'Rule broken', detail: error.message };
  if (error instanceof PreconditionFailed)
    return {
      status: 412,
      code: 'revision-mismatch',
      title: titles[412]!,
      detail: error.message,
      currentRevision: error.actual === undefined ? null : Number(error.actual),
    };
  if (error instanceof IdempotencyKeyReused)
    return {
      status: 422,
      code: 'idempotency-key-reused',
      title: titles[422]!,
      detail:
        'This Idempotency-Key was already used for a different request (another caller, plan or body); use a new key for a new request',
    };
  if (error instanceof WrongExpectedRevision)
    return {
      status: 409,
      code: 'concurrent-modification',
      title: titles[409]!,
      detail: 'The plan changed while this command ran; try again',
    };
  if (error instanceof AppendTooLarge)
    return {
      status: 413,
      code: 'append-too-large',
      title: 'Too large for one atomic write',
      detail: 'The ledger store refused to write this many events at once; split the request (an import: in several files)',
    };
  if (error instanceof StoreUnavailable)
    return {
      status: 503,
      code: 'store-unavailable',
      title: titles[503]!,
      detail:
        'The ledger store did not answer; nothing is known to be written. Retry shortly with the same Idempotency-Key ' +
        '(an import: the same document, which never writes twice)',
    };
  if (error instanceof HistoryChanged)
    return { status: 503, code: 'read-model-changed', title: 'The read models changed during this read', detail: error.message };
  // The service's fault, not the request's: an instance of an older release meets the newer one's events while instances
  // sharing the ledger are upgraded one by one. 503 with Retry-After, so that a client retries (maybe on an instance
  // already upgraded) rather than change a request that was right. Which type goes to the log.
  if (error instanceof UnknownEventType)
    return {
      status: 503,
      code: 'unknown-event-type',
      title: titles[503]!,
      detail:
        'The ledger holds an event of a type, or a version of one, that this release of the service does not know ' +
        '(written by a newer release): nothing was written. Try again shortly; if this goes on, the service needs upgrading',
    };
  if (isMalformedMultipart(error))
    return {
      status: 400,
      code: 'malformed-multipart',
      title: titles[400]!,
      detail: `The multipart/form-data body cannot be read (${error.message}): send it with its boundary, whole`,
    };
  const known = error.code ? fastifyCodes[error.code] : undefined;
  if (known) return { ...known, title: titles[known.status]!, detail: error.message };
  if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message)))
    return { status: 400, code: 'malformed-json', title: titles[400]!, detail: 'The request body is not valid JSON' };
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)
    return { status: error.statusCode, code: 'bad-request', title: titles[error.statusCode] ?? 'Bad request', detail: error.message };
  return undefined;
};

/** One place turns every failure into problem details; a 5xx never shows its cause to the client. */
/** 507 with Retry-After: the request was fine and wrote nothing; it will succeed once there is room. */
export const sendStorageFull = (reply: FastifyReply, instance?: string) =>
  sendProblem(
    reply.header('retry-after', String(STORAGE_FULL_RETRY_AFTER_SECONDS)),
    {
      status: 507,
      code: 'storage-full',
      title: 'Insufficient storage',
      detail: 'The disk holding the ledger is full, so nothing was written; retry once an operator has freed space',
    },
    instance,
  );

const IN_PLACE = new Set(['PUT', 'PATCH', 'DELETE']);
const IN_PLACE_WORDS = '. Nothing recorded is changed or deleted: record a correction (POST /plans/{planId}/corrections) instead';

/**
 * Logs a refusal as its cause deserves, for the API and the pages alike: the service's own faults at error level (an
 * event this release does not know, with its type), the store's unavailability at warn (its own words, which engine and
 * what failed, go to the log, not to the client), a request's mistakes and a starting instance's refusals at info.
 */
export const logRefusal = (request: FastifyRequest, error: unknown, problem: { status: number; code: string }) => {
  const log = request.log;
  // The store's unavailability is no doing of the caller: its request is given back to its rate limit (rate-refunds.ts).
  if (problem.code === 'store-unavailable') giveRateLimitBack(request);
  if (problem.code === 'unknown-event-type' || (problem.status >= 500 && problem.status !== 503))
    log.error({ err: error, code: problem.code }, 'request failed');
  // An instance that is starting refuses everything until its views are folded: expected, and said once by the start's own lines.
  else if (problem.code === 'starting') log.info({ code: problem.code, status: problem.status }, 'request refused: starting');
  else if (problem.status === 503)
    log.warn(
      { err: error, code: problem.code },
      problem.code === 'store-unavailable' ? 'the ledger store is unavailable' : 'request refused for now: retry shortly',
    );
  else log.info({ code: problem.code, status: problem.status }, 'request refused');
};

/** Installs the API's error and not-found answers; returns the methods each address takes, for the pages' own 405. */
export const registerErrorHandlers = (app: FastifyInstance): RouteMethods => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isOutOfSpace(error)) {
      request.log.error({ err: error }, 'request refused: the disk holding the ledger is full');
      return sendStorageFull(reply, request.url);
    }
    const problem = toProblem(error, request.query);
    if (problem) {
      logRefusal(request, error, problem);
      if (problem.status === 503 && !reply.hasHeader('retry-after')) reply.header('retry-after', '1');
      return sendProblem(reply, problem, request.url);
    }
    request.log.error({ err: error }, 'request failed');
    return sendProblem(
      reply,
      {
        status: 500,
        code: 'internal-error',
        title: 'Internal server error',
        detail: 'The ledger could not complete this request; nothing partial was written',
      },
      request.url,
    );
  });
  const methodsOf = trackRouteMethods(app);
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? request.url;
    const allowed = methodsOf(request.method, request.url);
    if (allowed.length === 0)
      return sendProblem(
        reply,
        { status: 404, code: 'route-not-found', title: 'Not found', detail: `No route ${request.method} ${path}` },
        request.url,
      );
    reply.header('allow', allowed.join(', '));
    // Only a plan's record is changed by a correction: keys, checkpoints and the rest have their own ways, or none.
    const inPlace = IN_PLACE.has(request.method) && path.startsWith('/plans/') && !allowed.includes('DELETE');
    return sendProblem(
      reply,
      {
        status: 405,
        code: 'method-not-allowed',
        title: 'Method not allowed',
        // A ledger changes nothing in place: a mistake is put right by a correction, which says so where one is asked for.
        detail: `${path} does not take ${request.method}: it takes ${allowed.join(', ')}${inPlace ? IN_PLACE_WORDS : ''}`,
      },
      request.url,
    );
  });
  return methodsOf;
};

/**
 * Errors Fastify raises before routing (a URL that does not decode, say) skip the error
 * handler; this answers them as problem details too, so no response is Fastify's own shape.
 */
export const answerFrameworkError: NonNullable<FastifyServerOptions['frameworkErrors']> = (error, request, reply) => {
  request.log.info({ code: error.code }, 'request refused before routing');
  // Fastify expects nothing back from this handler: the reply is sent, not returned.
  if (error.code === 'FST_ERR_BAD_URL' && isPageAddress(request.url)) void sendUndecodablePage(reply);
  else if (error.code === 'FST_ERR_BAD_URL')
    void sendProblem(reply, {
      status: 400,
      code: 'malformed-url',
      title: titles[400]!,
      detail: 'The URL is not valid: a percent-escape does not decode',
    });
  else if (error.code === 'FST_ERR_MAX_PARAM_LENGTH')
    void sendProblem(reply, {
      status: 414,
      code: 'path-segment-too-long',
      title: 'URI too long',
      detail: 'A segment of the path is longer than any id or organisation name (300 characters, 2,700 percent-encoded)',
    });
  else void sendProblem(reply, { status: 400, code: 'bad-request', title: titles[400]!, detail: error.message }, request.url);
};

/**
 * While the server drains for shutdown, new requests get 503 problem details with
 * Connection: close, so a load balancer sends them elsewhere; requests already running finish.
 */
export const refuseWhileShuttingDown = (app: FastifyInstance, isShuttingDown: () => boolean) => {
  app.addHook('onRequest', async (request, reply) => {
    if (!isShuttingDown() || request.url === '/ready') return;
    reply.header('connection', 'close').header('retry-after', '1');
    return sendProblem(
      reply,
      { status: 503, code: 'shutting-down', title: 'Shutting down', detail: 'This instance is stopping; retry on another' },
      request.url,
    );
  });
};
