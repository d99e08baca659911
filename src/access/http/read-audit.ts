import type { FastifyInstance } from 'fastify';
import { urlWithoutCredentials } from '../../api/http/credentials-in-url.ts';
import { problemType } from '../../api/http/problem.ts';
import { auditedPlanOf } from '../../api/http/route-access.ts';
import { isOutOfSpace, STORAGE_FULL_RETRY_AFTER_SECONDS } from '../../store/storage-full.ts';
import type { AccessLog } from '../port.ts';
import { principalId } from '../principal.ts';
import { principalOf } from './request-principal.ts';

/**
 * Reads of sensitive detail (routes with `auditRead`) are written to the access log
 * before the response leaves: onSend waits for the record's COMMIT. Refused and failed
 * attempts are recorded too, with their status. If the record cannot be written the
 * caller gets 503 instead of the data: no unrecorded read of sensitive detail.
 */
export const installReadAudit = (app: FastifyInstance, log: AccessLog) => {
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.routeOptions.config.auditRead) return payload;
    const principal = principalOf(request);
    const params = request.params as { planId?: unknown } | undefined;
    try {
      await log.record({
        at: new Date().toISOString(),
        principalId: principal ? principalId(principal) : null,
        principalName: principal?.name ?? null,
        role: principal?.role ?? null,
        organisation: principal?.organisation ?? null,
        method: request.method,
        route: request.routeOptions.url ?? request.url,
        // A key or token sent in the URL is ignored, and must not be kept where nothing can delete it.
        path: urlWithoutCredentials(request.url).slice(0, 2000),
        planId: (typeof params?.planId === 'string' ? params.planId : auditedPlanOf(request))?.slice(0, 200) ?? null,
        status: reply.statusCode,
        requestId: request.id,
        ip: request.ip ?? null,
      });
      return payload;
    } catch (error) {
      request.log.error({ err: error }, 'could not record an audited read: withholding the response');
      reply.removeHeader('etag');
      if (isOutOfSpace(error)) {
        reply.code(507).type('application/problem+json').header('retry-after', String(STORAGE_FULL_RETRY_AFTER_SECONDS));
        return JSON.stringify({
          type: problemType('storage-full'),
          status: 507,
          code: 'storage-full',
          title: 'Insufficient storage',
          detail: 'The read could not be recorded in the access log because the disk is full, so it was not served',
        });
      }
      reply.code(503).type('application/problem+json');
      return JSON.stringify({
        type: problemType('access-log-unavailable'),
        status: 503,
        code: 'access-log-unavailable',
        title: 'Service unavailable',
        detail: 'The read could not be recorded, so it was not served',
      });
    }
  });
};
