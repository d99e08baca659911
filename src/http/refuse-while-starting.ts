import type { FastifyInstance } from 'fastify';
import { HttpProblem } from '../api/http/problem.ts';
import { giveRateLimitBack } from '../access/http/rate-refunds.ts';
import { isPageAddress } from './page-address.ts';
import { plainPage } from './plain-page.ts';

/**
 * What answers while a starting instance folds its views: the probes an orchestrator sends and
 * the metrics that show how far the start has got. The rest (but what reads no views, below)
 * reads the views, not yet at the ledger's head, or writes what its caller would read back there.
 */
const ANSWERED_WHILE_STARTING: ReadonlySet<string> = new Set(['/health', '/ready', '/metrics']);
/** What reads no views: the pages' stylesheets and images (which the page below loads), and the API's description. */
const readsNoViews = (route: string) => route.startsWith('/web/assets/') || route === '/openapi.json' || route.startsWith('/docs');
/** The pages, and the service's root, which sends a browser to them. */
const isPage = (url: string) => url === '/' || url.startsWith('/?') || isPageAddress(url);

/** What a person at the pages is shown meanwhile, in plain words: it needs nothing the start has yet to fold. */
const sendStartingPage = plainPage(503, 'This instance is starting', [
  'It is bringing its views of the records up to date before it shows them. Nothing was recorded.',
  'Reload this page in a few seconds.',
]);

/** How long a caller refused at a start is asked to wait before it tries again, in seconds. */
export const STARTING_RETRY_AFTER_SECONDS = 5;

/**
 * An instance listens before its start has folded the views to the ledger's head (a start that
 * rebuilds them folds the whole ledger, minutes at ten million events), so that `/health` answers
 * meanwhile. Until then every other request is refused with 503 `starting` and Retry-After, and
 * nothing is read from the views or written to the ledger: a read would leave out what is not
 * folded yet. The refusal comes after access control has decided (installed before this), so it
 * carries the security and CORS headers, a caller without credentials is told so first, and an
 * audited read's refusal is recorded naming its caller, as any refusal is. `starting()` says why
 * the instance is not serving yet, or undefined once it is.
 */
export const refuseWhileStarting = (app: FastifyInstance, starting: () => string | undefined) => {
  // Before the body is read (preParsing, after access control's decision), so nothing of it is parsed or checked.
  app.addHook('preParsing', async (request, reply) => {
    const why = starting();
    const route = request.routeOptions.url ?? '';
    if (why === undefined || ANSWERED_WHILE_STARTING.has(route) || readsNoViews(route)) return;
    reply.header('retry-after', String(STARTING_RETRY_AFTER_SECONDS));
    giveRateLimitBack(request);
    if (isPage(request.url)) return sendStartingPage(reply);
    throw new HttpProblem({ status: 503, code: 'starting', title: 'This instance is starting', detail: why });
  });
};
