/**
 * Every route declares who may call it, in its fastify `config`, so access control is
 * one hook reading one table rather than checks scattered through handlers:
 * - 'public': health, readiness and the API description;
 * - 'projection': the read models (plans, timelines, accountability, reports): every role;
 * - 'audit': raw events, proofs, checkpoints, exports, verification, the access log: auditors;
 * - 'command': writes; which role and which organisation may run each command is decided
 *   per command against the plan (contributors only on their organisation's actions);
 * - 'admin': keys and configuration;
 * - 'metrics': the Prometheus metrics, for the monitoring system's own key and nothing else.
 * `auditRead` marks reads of sensitive detail that must be written to the access log.
 * `page` marks a page for people (src/web): the same access levels, but the caller is known
 * by their session cookie rather than an Authorization header, and a refusal is a page.
 * `presentOnly` marks a page that shows the ledger as it is now whatever the clocks: asked for
 * with dates, it is sent to its present-day address rather than shown under a banner of the past.
 * `download` marks a page route that sends a file, not a page: dates it cannot read are refused on
 * a page of their own, as there is no page of its to say so on.
 */
export type RouteAccess = 'public' | 'projection' | 'audit' | 'command' | 'admin' | 'metrics';

import type { FastifyRequest } from 'fastify';

export interface RouteAccessConfig {
  access: RouteAccess;
  auditRead?: boolean;
  page?: boolean;
  presentOnly?: boolean;
  download?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    auditRead?: boolean;
    page?: boolean;
    presentOnly?: boolean;
    download?: boolean;
  }
}

const auditedPlans = new WeakMap<FastifyRequest, string>();

/**
 * For an audited read whose plan is not in its URL (an inclusion proof names only an
 * event): the handler names the plan once it knows it, so the access log can record it.
 */
export const noteAuditedPlan = (request: FastifyRequest, planId: string): void => {
  auditedPlans.set(request, planId);
};
export const auditedPlanOf = (request: FastifyRequest): string | undefined => auditedPlans.get(request);
