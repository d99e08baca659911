import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { RouteAccessConfig } from './route-access.ts';

/**
 * The query of a write that declares none: empty. A command's fields, its business date among
 * them, go in its JSON body; one put in the query (`?effectiveOn=2016-01`) was dropped without a
 * word, and the event recorded as happening today, a mistake only a correction could put right.
 * An administrator's write is held to the same: `POST /admin/keys?role=admin` made the key of the
 * body's role, a viewer, without a word. A write that takes no body either gives its own advice.
 */
export const noQuery = (advice: string) =>
  z
    .object({})
    .catchall(z.unknown())
    .superRefine((query, ctx) => {
      const names = Object.keys(query);
      if (names.length === 0) return;
      ctx.addIssue({
        code: 'custom',
        message:
          `a write takes no query parameters, and ${names.map((n) => `"${n}"`).join(', ')} ${names.length === 1 ? 'was' : 'were'} given: ` +
          advice,
      });
    });
const COMMAND_ADVICE = "send the command's fields, effectiveOn among them, in its JSON body";
const ADMIN_ADVICE = "send the request's fields in its JSON body";

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Gives every API write registered after it that declares no query (commands, and the admin's
 * key and checkpoint writes) the empty one above, so a query parameter on it is refused (400
 * validation-failed) before anything is written. Web pages (their forms post back to URLs that
 * may carry a query) and writes that declare their own query (an import's `dryRun`) are left as
 * they are.
 */
export const refuseQueryOnWrites = (app: FastifyInstance) =>
  app.addHook('onRoute', (route) => {
    const config = route.config as RouteAccessConfig | undefined;
    const methods = [route.method].flat();
    if (config?.page === true || !methods.some((m) => WRITES.has(m))) return;
    if (config?.access !== 'command' && config?.access !== 'admin') return;
    route.schema ??= {};
    route.schema.querystring ??= noQuery(config.access === 'command' ? COMMAND_ADVICE : ADMIN_ADVICE);
  });
