import type { FastifyRequest } from 'fastify';

/**
 * The requests refused before the service did any work for them, through no doing of their caller: an instance still
 * folding its views (`starting`), a ledger store that did not answer (`store-unavailable`). Their rate-limit count is
 * given back (security-plugins.ts), so a client retrying after Retry-After finds its budget as it was. Other 503s are not
 * marked, as a caller can bring them about at a cost to the service: a token while the identity provider is down fetches
 * its key set each time, a plan holding a newer event type is folded, a read the read models moved under is read again.
 */
const refunded = new WeakSet<FastifyRequest>();

export const giveRateLimitBack = (request: FastifyRequest): void => void refunded.add(request);

export const isRateLimitGivenBack = (request: FastifyRequest): boolean => refunded.has(request);
