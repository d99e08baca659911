import { Ref } from '../../events/plan/common.ts';
import type { Clocks } from '../../projections/clocks/clocks.ts';
import type { openReadModels } from '../../projections/read-models.ts';
import { answeredPosition, planView, plansPage, timelineView, type ViewDeps } from '../../projections/views/plan-views.ts';
import { WHOLE_REPORT } from '../../projections/plan-status/findings-page.ts';
import { deadlinesView, discrepanciesView, organisationsPage, organisationView } from '../../projections/views/report-views.ts';
import { auditedRead, type WithAccessLog } from './command-line-read-audit.ts';
import { answerChanges } from './view-changes.ts';
import { businessDate, type ViewName } from './view-options.ts';
import type { ViewQuery } from './view-query.ts';

/*
 * Reading a view at its query: one function for `ledger view` (which writes the answer) and
 * `ledger verify-view -d` (which reads a signed view's answer again and compares), so the two
 * can never read a view differently.
 */

/** Every plan (or organisation) at the clocks: the API's pages, followed to the last. */
const allPages = async <T>(
  page: (after: string | undefined) => Promise<{ next: string | null } & Record<string, unknown>>,
  key: string,
) => {
  const items: T[] = [];
  let after: string | undefined;
  let first: Record<string, unknown> | undefined;
  do {
    const answer = await page(after);
    first ??= answer;
    items.push(...(answer[key] as T[]));
    after = answer.next ?? undefined;
  } while (after !== undefined);
  return { ...first, limit: items.length, next: null, [key]: items };
};

/** A report with the ledger position it includes, as the API's answers name it (a view here is always read at an asOf). */
const withPosition = async <T extends object>(deps: ViewDeps, clocks: Clocks, answer: Promise<T>) => ({
  ...(await answer),
  position: String(await answeredPosition(deps.reader, clocks, -1n)),
});

const answerView = async (deps: ViewDeps, clocks: Clocks, view: ViewName, subject: string | undefined, query: ViewQuery) => {
  switch (view) {
    case 'plans':
      return allPages((after) => plansPage(deps, clocks, { after, limit: 1000 }, -1n), 'plans');
    case 'plan': {
      const { body, retraction } = await planView(deps, clocks, subject!);
      return retraction ? { ...body, retraction } : body;
    }
    case 'timeline':
      return timelineView(deps, clocks, subject!, query.action === undefined ? null : Ref.parse(query.action), {
        order: query.order === 'effective' ? 'effective' : 'recorded',
      });
    case 'changes':
      return answerChanges(deps, subject!, { ...query, from: query.from!, to: query.to! }, clocks.asOf!);
    case 'organisations':
      return withPosition(
        deps,
        clocks,
        allPages((after) => organisationsPage(deps, clocks, { after, limit: 1000 }), 'organisations'),
      );
    case 'organisation':
      return withPosition(deps, clocks, organisationView(deps, clocks, subject!.trim(), WHOLE_REPORT));
    case 'deadlines':
      return withPosition(
        deps,
        clocks,
        deadlinesView(
          deps,
          clocks,
          { from: businessDate('--from', query.from), to: businessDate('--to', query.to), organisation: query.organisation?.trim() },
          WHOLE_REPORT,
        ),
      );
    case 'discrepancies':
      return withPosition(deps, clocks, discrepanciesView(deps, clocks, WHOLE_REPORT));
  }
};

/** The views of one plan's detail: recorded in the access log, as the API's reads of them are. */
const AUDITED: ReadonlySet<ViewName> = new Set(['plan', 'timeline', 'changes']);

export interface ViewRead {
  /** The answer, as `ledger view` writes it. */
  answer: Record<string, unknown>;
  /**
   * The last ledger position the answer includes (-1 when none), as the answers' own `position`
   * fields mean it: where the asOf resolves to, or for changes on the ledger clock, where its `to` does.
   */
  position: bigint;
  clocks: Clocks;
}

/**
 * Reads `view` at `query` from the read models (the ledger itself where they lag). A read of one
 * plan's detail is recorded in the access log under `command` ("view", "verify-view"), as its
 * API read is. Throws what the view refuses (ReadRequestError, DomainError, ViewOptionError).
 */
export const readView = async (
  sources: { backend: WithAccessLog; readModels: ReturnType<typeof openReadModels> },
  view: ViewName,
  subject: string | undefined,
  query: ViewQuery,
  command: string,
): Promise<ViewRead> => {
  const { backend, readModels } = sources;
  const clocks = readModels.reader.check({ asOf: query.asOf, effectiveOn: businessDate('--effective-on', query.effectiveOn) });
  const read = () => answerView(readModels, clocks, view, subject, query);
  const answer: Record<string, unknown> = AUDITED.has(view)
    ? await auditedRead(backend, { command: `${command} ${view}`, planId: subject! }, read)
    : await read();
  const through = view === 'changes' && query.clock !== 'effective' ? query.to! : query.asOf;
  return { answer, position: await answeredPosition(readModels.reader, { asOf: through }, -1n), clocks };
};
