import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpProblem } from '../api/http/problem.ts';
import type { RouteAccessConfig } from '../api/http/route-access.ts';
import { giveRateLimitBack } from '../access/http/rate-refunds.ts';
import { isPageAddress } from './page-address.ts';
import { plainPage } from './plain-page.ts';
import type { ReadModelDeps } from './read-query.ts';

/** What says whether another process has reset the views (projections/runner/runner.ts); an app without it refuses nothing. */
type ViewsResetDeps = Pick<ReadModelDeps, 'runner' | 'ledgerHead'>;

/** How long a caller refused meanwhile is asked to wait, in seconds: as /ready asks. */
export const VIEWS_REBUILDING_RETRY_AFTER_SECONDS = 5;

/**
 * Why the views are partial since another process reset them (`ledger rebuild` beside this instance), or undefined. The
 * ledger's head is read only once the runner has seen its views go back; views another release keeps (a rolling upgrade)
 * are read as that release keeps them, as before.
 */
export const viewsResetReason = async ({ runner, ledgerHead }: ViewsResetDeps): Promise<string | undefined> => {
  if (!runner.mayBeBehindAFold?.() || !runner.behindAFold || runner.retired?.() !== undefined) return undefined;
  return runner.behindAFold(ledgerHead ? await ledgerHead() : undefined);
};

/**
 * Whether an API read compares two ledger times (`changes` on the ledger clock, its default): each is read at an instant,
 * as an `asOf` is, folding what the views do not hold. (The changes page reads the plan it names from the views.)
 */
const comparesLedgerTimes = (request: FastifyRequest): boolean =>
  (request.routeOptions.url ?? '').endsWith('/changes') && (request.query as { clock?: unknown } | undefined)?.clock !== 'effective';

const sendRebuildingPage = plainPage(503, 'The records are being brought up to date', [
  'The views of the records this page reads are being rebuilt. Until they are, it would leave some out. Nothing was recorded.',
  'Reload this page in a minute. A page of an earlier date, which the ledger answers in full, can be seen meanwhile.',
]);

/** A page that would read the views while they are partial: a plain page saying so, with Retry-After. */
export const sendViewsRebuildingPage = (request: FastifyRequest, reply: FastifyReply) => {
  giveRateLimitBack(request);
  return sendRebuildingPage(reply.header('retry-after', String(VIEWS_REBUILDING_RETRY_AFTER_SECONDS)));
};

/**
 * While another process sharing the read store has reset the views (`ledger rebuild` beside this instance), and this
 * one has not folded them to the ledger's head again, a read of them as they stand (today's, or at an `effectiveOn`
 * alone) holds only what is folded so far: a list of plans that is empty, or an organisation not found, answered 200
 * or 404 as if whole. Such an API read is refused with 503 `views-rebuilding` and Retry-After, as /ready says 503 then,
 * so a client that does not watch /ready is not told something false. A read at an `asOf` (one still to come is read
 * at the ledger time now) folds the plans recorded past what the views hold (projections/plan-reader.ts), so it is
 * answered, as is `changes` between two ledger times. Writes go to the ledger, and are not refused. The refusal comes
 * after access control, as `refuseWhileStarting`'s does. The pages decide from the clocks as they read them
 * (src/web/http/web-app.ts): an `asOf` a page cannot read, or one still to come, shows the present; and a form, which
 * finds the action it records on in the views, is refused too (nothing is recorded).
 */
export const refuseApiReadsWhileViewsReset = (app: FastifyInstance, deps: ViewsResetDeps) => {
  app.addHook('preParsing', async (request, reply) => {
    if ((request.routeOptions.config as RouteAccessConfig | undefined)?.access !== 'projection' || isPageAddress(request.url)) return;
    if ((request.query as { asOf?: unknown } | undefined)?.asOf !== undefined || comparesLedgerTimes(request)) return;
    const why = await viewsResetReason(deps);
    if (why === undefined) return;
    giveRateLimitBack(request);
    reply.header('retry-after', String(VIEWS_REBUILDING_RETRY_AFTER_SECONDS));
    throw new HttpProblem({ status: 503, code: 'views-rebuilding', title: 'The views are being rebuilt', detail: why });
  });
};
