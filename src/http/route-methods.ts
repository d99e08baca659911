import type { FastifyInstance } from 'fastify';
import FindMyWay from 'find-my-way';

/** The methods other than `method` that the address of `url` takes, sorted; none when nothing is there. */
export type RouteMethods = (method: string, url: string) => string[];

/**
 * The methods each address answers, so that a request with a method the address does not take is
 * told 405 with `Allow` (RFC 9110, 15.5.6) rather than that nothing is there: `DELETE /plans/x`
 * names a plan that exists, and a client should learn that the ledger deletes nothing, not that
 * the plan is missing. A second router, of Fastify's own kind (find-my-way), holds every route
 * registered after this, matched as Fastify matches them.
 *
 * Catch-all routes (CORS answers a preflight at every address) are left out: they would make
 * every unknown address seem to exist.
 */
export const trackRouteMethods = (app: FastifyInstance): RouteMethods => {
  const router = FindMyWay();
  const methods = new Set<string>();
  const handler = () => undefined;
  app.addHook('onRoute', (route) => {
    if (route.url === '*' || route.url === '/*') return;
    for (const method of [route.method].flat()) {
      // Fastify adds HEAD beside GET, and a route may be registered under several prefixes: once is enough.
      if (router.hasRoute(method as FindMyWay.HTTPMethod, route.url)) continue;
      router.on(method as FindMyWay.HTTPMethod, route.url, handler);
      methods.add(method);
    }
  });
  return (method, url) => {
    const path = url.split('?')[0]!;
    return [...methods].filter((m) => m !== method && router.find(m as FindMyWay.HTTPMethod, path) !== null).sort();
  };
};
