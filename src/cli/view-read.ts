import type { openReadModels } from '../../projections/read-models.ts';
import { PLAN_DETAIL_VIEWS, readNamedView, type NamedViewRead, type ViewName, type ViewQuery } from '../views/named-view.ts';
import { auditedRead, type WithAccessLog } from './command-line-read-audit.ts';

export type ViewRead = NamedViewRead;

/**
 * Reads `view` at `query` (src/views/named-view.ts): one function for `ledger view`, `ledger
 * verify-view -d` and the API's signed views. A read of one plan's detail is recorded in the access
 * log under `command` ("view", "verify-view"), as its API read is. Throws what the view refuses
 * (ReadRequestError, DomainError).
 */
export const readView = async (
  sources: { backend: WithAccessLog; readModels: ReturnType<typeof openReadModels> },
  view: ViewName,
  subject: string | undefined,
  query: ViewQuery,
  command: string,
): Promise<ViewRead> =>
  readNamedView(sources.readModels, view, subject, query, (read) =>
    PLAN_DETAIL_VIEWS.has(view) ? auditedRead(sources.backend, { command: `${command} ${view}`, planId: subject! }, read) : read(),
  );
