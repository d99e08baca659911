/**
 * Every route declares who may call it, in its fastify `config`, so access control is
 * one hook reading one table rather than checks scattered through handlers:
 * - 'public': health, readiness and the API description;
 * - 'projection': the read models (plans, timelines, accountability, reports): every role;
 * - 'audit': raw events, proofs, checkpoints, exports, verification, the access log: auditors;
 * - 'command': writes; which role and which organisation may run each command is decided
 *   per command against the plan (contributors only on their organisation's actions);
 * - 'admin': keys and configuration.
 * `auditRead` marks reads of sensitive detail that must be written to the access log.
 */
export type RouteAccess = 'public' | 'projection' | 'audit' | 'command' | 'admin';

export interface RouteAccessConfig {
  access: RouteAccess;
  auditRead?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    auditRead?: boolean;
  }
}
