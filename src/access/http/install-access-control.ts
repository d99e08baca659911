import type { FastifyInstance } from 'fastify';
import type { AccessControl } from '../access-control.ts';
import { accessLogRoutes } from './access-log-routes.ts';
import { installAccessHooks, type PageGate } from './access-hooks.ts';
import { adminConfigurationRoutes } from './admin-configuration-routes.ts';
import { adminKeyRoutes } from './admin-key-routes.ts';
import { installReadAudit } from './read-audit.ts';
import type { RouteAccessEntry } from './request-principal.ts';
import { registerSecurityPlugins } from './security-plugins.ts';

/**
 * Puts access control in front of every route registered after it: the route table,
 * security headers, CORS and rate limits, authentication and the access decision, the
 * read audit, and the routes for keys and the access log. Call before any other route.
 */
export const installAccessControl = async (app: FastifyInstance, access: AccessControl, pages?: PageGate) => {
  const table: RouteAccessEntry[] = [];
  app.decorate('accessTable', table);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat())
      table.push({ method, url: route.url, access: route.config?.access, auditRead: route.config?.auditRead === true });
  });
  await registerSecurityPlugins(app, access.settings);
  installAccessHooks(app, access, pages);
  installReadAudit(app, access.log);
  await app.register(adminKeyRoutes(access));
  await app.register(adminConfigurationRoutes(access));
  await app.register(accessLogRoutes(access.log));
};
