import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { EventStore } from '../../store/port.ts';
import { STORAGE_FULL_RETRY_AFTER_SECONDS, type StorageHealth } from '../../store/storage-full.ts';
import { sendProblem } from '../../api/http/problem.ts';
import { STARTING_RETRY_AFTER_SECONDS } from '../refuse-while-starting.ts';
import { VIEWS_REBUILDING_RETRY_AFTER_SECONDS } from '../refuse-while-views-reset.ts';
import { giveRateLimitBack } from '../../access/http/rate-refunds.ts';

const Alive = z.object({ status: z.literal('ok') });
const Ready = z.object({ status: z.literal('ready'), headPosition: z.string().nullable().describe('The last global position, if any') });
const NotReady = z
  .object({
    status: z.literal(503),
    code: z.enum(['shutting-down', 'store-unavailable', 'storage-full', 'starting', 'views-at-another-version', 'views-rebuilding']),
    title: z.string(),
  })
  .loose();

/**
 * /health: the process answers. /ready: it can also reach its store and write to it, so a
 * load balancer may send it traffic; while the disk is full it says 503 storage-full, and
 * 200 again by itself once there is room. While its start folds the views to the ledger's head
 * it says 503 starting (its other routes refuse meanwhile: refuse-while-starting.ts). An instance whose views another process sharing its
 * read store keeps at another version (a rolling upgrade) folds nothing, so it says 503
 * views-at-another-version while a process of that release runs (then it builds the views at
 * its own version, and is ready again once they are built). From when another process resets the
 * views it shares (`ledger rebuild` beside it) until it has folded them to the ledger's head again,
 * it says 503 views-rebuilding: the answers read from them meanwhile are partial.
 */
export interface HealthDeps {
  store: EventStore;
  isShuttingDown: () => boolean;
  storageHealth?: () => StorageHealth;
  /** Why the start has not yet folded the views to the ledger's head, or undefined once it has. */
  starting?: () => string | undefined;
  viewsRetired?: () => string | undefined;
  viewsBehindAFold?: (head: bigint | undefined) => string | undefined;
}

export const healthRoutes =
  ({
    store,
    isShuttingDown,
    storageHealth = () => ({ writable: true }),
    starting = () => undefined,
    viewsRetired = () => undefined,
    viewsBehindAFold = () => undefined,
  }: HealthDeps) =>
  async (app: FastifyInstance) => {
    app.get(
      '/health',
      { config: { access: 'public' }, schema: { tags: ['operations'], summary: 'Liveness', response: { 200: Alive } } },
      async () => ({ status: 'ok' }),
    );
    app.get(
      '/ready',
      {
        config: { access: 'public' },
        schema: {
          tags: ['operations'],
          summary: 'Readiness: the store answers and can write',
          description:
            'For a load balancer: 200 when this instance can serve; 503 shutting-down, store-unavailable, storage-full ' +
            "(with Retry-After), starting (this instance is folding its views to the ledger's head before it serves, with " +
            'Retry-After), views-at-another-version (another release keeps the shared views) or views-rebuilding ' +
            '(another process reset them, with Retry-After, until they are folded to the head again). Liveness is /health.',
          response: { 200: Ready, 503: NotReady },
        },
      },
      async (request, reply) => {
        // A probe told the instance is not ready learnt only that, through no doing of its own: its rate limit is given
        // back (rate-refunds.ts). A 200 counts, as any answer does.
        const notReady = (...args: Parameters<typeof sendProblem>) => (giveRateLimitBack(request), sendProblem(...args));
        if (isShuttingDown()) return notReady(reply, { status: 503, code: 'shutting-down', title: 'Shutting down' });
        let head: bigint | undefined;
        try {
          head = await store.headPosition();
        } catch (error) {
          request.log.error({ err: error }, 'store not reachable');
          return notReady(reply, { status: 503, code: 'store-unavailable', title: 'The event store does not answer' });
        }
        const health = storageHealth();
        if (!health.writable)
          return notReady(reply.header('retry-after', String(STORAGE_FULL_RETRY_AFTER_SECONDS)), {
            status: 503,
            code: 'storage-full',
            title: 'The ledger cannot write',
            detail: `${health.reason}, since ${health.since}: reads are served, writes are refused with 507 until there is room`,
          });
        const notYet = starting();
        if (notYet !== undefined)
          return notReady(reply.header('retry-after', String(STARTING_RETRY_AFTER_SECONDS)), {
            status: 503,
            code: 'starting',
            title: 'This instance is starting',
            detail: notYet,
          });
        const retired = viewsRetired();
        if (retired !== undefined)
          return notReady(reply, {
            status: 503,
            code: 'views-at-another-version',
            title: 'The views are not ready here',
            detail: retired,
          });
        const behind = viewsBehindAFold(head);
        if (behind !== undefined)
          return notReady(reply.header('retry-after', String(VIEWS_REBUILDING_RETRY_AFTER_SECONDS)), {
            status: 503,
            code: 'views-rebuilding',
            title: 'The views are being rebuilt',
            detail: behind,
          });
        return { status: 'ready', headPosition: head === undefined ? null : head.toString() };
      },
    );
  };
