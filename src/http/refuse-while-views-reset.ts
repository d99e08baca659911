import type { FastifyInstance } from 'fastify';
import { HttpProblem } from '../api/http/problem.ts';
import type { RouteAccessConfig } from '../api/http/route-access.ts';
import { giveRateLimitBack } from '../access/http/rate-refunds.ts';
import { isPageAddress } from './page-address.ts';
import { plainPage } from './plain-page.ts';
import type { ReadModelDeps } from './read-query.ts';

/** The runner's word on views another process has reset (projections/runner/runner.ts); an app without it refuses nothing. */
type ViewsResetCheck = Pick<ReadModelDeps['runner'], 'mayBeBehindAFold' | 'behindAFold'>;

/** How long a caller refused meanwhile is asked to wait, in seconds: as /ready asks. */
export const VIEWS_REBUILDING_RETRY_AFTER_SECONDS = 5;

const sendRebuildingPage = plainPage(503, 'The records are being brought up to date', [
  'The views of the records this page reads are being rebuilt. Until they are, it would leave some out. Nothing was recorded.',
  'Reload this page in a minute. A page of an earlier date, which the ledger answers in full, can be seen meanwhile.',
]);

/**
 * While another process sharing the read store has reset the views (`ledger rebuild` beside this instance), and this
 * one has not folded them to the ledger's head again, a read of them as they stand (today's, or at an `effectiveOn`
 * alone) holds only what is folded so far: a list of plans that is empty, or an organisation not found, answered 200
 * or 404 as if whole. Such a read is refused with 503 `views-rebuilding` and Retry-After, as /ready says 503 then, so a
 * client that does not watch /ready is not told something false. A read at an `asOf` is answered: it folds the plans
 * recorded past what the views hold (projections/plan-reader.ts). Writes go to the ledger, and are not refused. The
 * refusal comes after access control, as `refuseWhileStarting`'s does.
 */
export const refuseWhileViewsReset = (app: FastifyInstance, runner: ViewsResetCheck, ledgerHead: () => Promise<bigint | undefined>) => {
  app.addHook('preParsing', async (request, reply) => {
    if ((request.routeOptions.config as RouteAccessConfig | undefined)?.access !== 'projection') return;
    // Nothing is read from the ledger unless the runner has seen its views go back.
    if (!runner.mayBeBehindAFold?.() || !runner.behindAFold) return;
    if ((request.query as { asOf?: unknown } | undefined)?.asOf !== undefined) return;
    const why = runner.behindAFold(await ledgerHead());
    if (why === undefined) return;
    reply.header('retry-after', String(VIEWS_REBUILDING_RETRY_AFTER_SECONDS));
    giveRateLimitBack(request);
    if (isPageAddress(request.url)) return sendRebuildingPage(reply);
    throw new HttpProblem({ status: 503, code: 'views-rebuilding', title: 'The views are being rebuilt', detail: why });
  });
};
