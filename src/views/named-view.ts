import { z } from 'zod';
import { Ref } from '../../events/plan/common.ts';
import { LedgerTime } from '../../projections/clocks/ledger-time.ts';
import type { Clocks } from '../../projections/clocks/clocks.ts';
import { WHOLE_REPORT } from '../../projections/plan-status/findings-page.ts';
import { answeredPosition, changesView, planView, plansPage, timelineView, type ViewDeps } from '../../projections/views/plan-views.ts';
import { deadlinesView, discrepanciesView, organisationsPage, organisationView } from '../../projections/views/report-views.ts';

/*
 * The named views an auditor keeps as a file (`ledger view`, `GET /signed-views/{view}`): one
 * function reads each at its query, for the command line, the API and `ledger verify-view -d`
 * (which reads a signed view's answer again and compares), so none of them can read a view
 * differently. The query is checked before it comes here, each caller in its own words.
 */

export const VIEWS = ['plans', 'plan', 'timeline', 'changes', 'organisations', 'organisation', 'deadlines', 'discrepancies'] as const;
export type ViewName = (typeof VIEWS)[number];

/** What each view that takes a subject takes; the others take none. */
export const VIEW_SUBJECTS: Partial<Record<ViewName, 'plan' | 'organisation'>> = {
  plan: 'plan',
  timeline: 'plan',
  changes: 'plan',
  organisation: 'organisation',
};

/** What a view's subject is, in words, for a refusal that names it missing: the CLI's and the API's alike. */
export const SUBJECT_WORDS = { plan: 'a plan id', organisation: 'an organisation name' } as const;

/**
 * Why a view's subject cannot stand in a signed view, or undefined: the envelope's `subject` is one line
 * (view-signature.ts), and a name or id checked only once trimmed (OrganisationName) may still end in a line break.
 */
export const subjectLineProblem = (subject: string): string | undefined =>
  /[\r\n]/.test(subject) ? 'must be on one line (no line break)' : undefined;

/** The views of one plan's detail: recorded in the access log with their plan, as the API's reads of them are. */
/**
 * Whether a view is `changes` on the ledger clock: it compares two ledger times, `from` and `to`, so it takes no `asOf`,
 * and its position is read at its `to`.
 */
export const isRecordedChanges = (view: string, query: { clock?: string | undefined }): boolean =>
  view === 'changes' && query.clock !== 'effective';

export const PLAN_DETAIL_VIEWS: ReadonlySet<ViewName> = new Set(['plan', 'timeline', 'changes']);

/** Options only some views read, and which: given to another, they would be silently ignored, so each caller refuses them. */
export type ViewOption = 'from' | 'to' | 'clock' | 'organisation' | 'order' | 'action';
export const OPTIONS_FOR: ReadonlyArray<[option: ViewOption, views: readonly ViewName[]]> = [
  ['from', ['deadlines', 'changes']],
  ['to', ['deadlines', 'changes']],
  ['clock', ['changes']],
  ['organisation', ['deadlines']],
  ['order', ['timeline']],
  ['action', ['timeline']],
];

/**
 * What shaped a view's answer: every option given, with the clocks as they were resolved (the
 * asOf always, a changes window's ends on the ledger clock as instants, each no later than the
 * moment of the read). Read again with the same query, the ledger gives the same answer as long
 * as it still holds the same events: what `ledger verify-view -d` relies on.
 */
export const ViewQuery = z
  .object({
    asOf: z.iso.datetime({ offset: true }),
    effectiveOn: z.string().optional(),
    from: z.string().optional(),
    to: z.string().optional(),
    clock: z.enum(['recorded', 'effective']).optional(),
    organisation: z.string().optional(),
    order: z.enum(['recorded', 'effective']).optional(),
    action: z.string().optional(),
  })
  .strict();
export type ViewQuery = z.infer<typeof ViewQuery>;

/** The options given, without those not given: what the file names is what was asked. */
const givenOnly = <T extends object>(fields: T): T =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T;

/** A view's options as asked, each checked by the caller in its own words (the command line's, the API's). */
export type AskedView = Partial<Record<keyof ViewQuery, string>>;

/**
 * The query a view is read at, its clocks resolved at `now` (the ledger time of the read): the asOf always, one
 * omitted or still to come read as `now`; on the ledger clock a changes window's ends as instants, each no later than
 * `now`, unless the window is the wrong way round, which the read then refuses naming the times asked. One function
 * for `ledger view` and the API, so that every file either signs names a query `ledger verify-view -d` reads again.
 * `readAsNow` hears each time still to come, which option it is and as asked, and read as now:
 * the command line says so on stderr. A time read as now is named so, as a time not yet reached would name a state
 * of the ledger not reached.
 */
export const resolveViewQuery = (
  view: ViewName,
  asked: AskedView,
  now: string,
  readAsNow: (what: 'asOf' | 'from' | 'to', asked: string) => void = () => undefined,
): ViewQuery => {
  const notAfterNow = (what: 'asOf' | 'from' | 'to', instant: string, as: string) => {
    if (instant <= now) return instant;
    readAsNow(what, as);
    return now;
  };
  const asOf = asked.asOf === undefined ? now : notAfterNow('asOf', LedgerTime.parse(asked.asOf), asked.asOf);
  let { from, to } = asked;
  if (isRecordedChanges(view, asked)) {
    const ends = { from: LedgerTime.parse(from), to: LedgerTime.parse(to) };
    ({ from, to } = ends.from > ends.to ? ends : { from: notAfterNow('from', ends.from, from!), to: notAfterNow('to', ends.to, to!) });
  }
  return givenOnly({
    asOf,
    effectiveOn: asked.effectiveOn,
    from,
    to,
    clock: asked.clock as ViewQuery['clock'],
    organisation: asked.organisation,
    order: asked.order as ViewQuery['order'],
    action: asked.action,
  });
};

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

/**
 * The plan's changes between two points on one clock, as the API answers them; a plan retracted at
 * `to` gives its retraction instead, as the plan's view does. On the business clock both sides are
 * read as the ledger stood at `asOf`.
 */
const answerChanges = async (deps: ViewDeps, planId: string, query: ViewQuery, asOf: string) => {
  const window =
    query.clock === 'effective'
      ? { clock: 'effective' as const, from: query.from!, to: query.to!, asOf }
      : { clock: 'recorded' as const, from: query.from!, to: query.to!, effectiveOn: query.effectiveOn };
  const { retraction, heading, body } = await changesView(deps, planId, window);
  return retraction ? { ...heading, retraction } : body;
};

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
      return answerChanges(deps, subject!, query, clocks.asOf!);
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
        deadlinesView(deps, clocks, { from: query.from, to: query.to, organisation: query.organisation?.trim() }, WHOLE_REPORT),
      );
    case 'discrepancies':
      return withPosition(deps, clocks, discrepanciesView(deps, clocks, WHOLE_REPORT));
  }
};

export interface NamedViewRead {
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
 * Reads `view` at `query` (checked by the caller) from the read models, the ledger itself where
 * they lag. `around` runs the read: the command line records a plan's detail in its access log
 * there (the API's access hook records the request itself). Throws what the view refuses
 * (ReadRequestError, DomainError).
 */
export const readNamedView = async (
  deps: ViewDeps,
  view: ViewName,
  subject: string | undefined,
  query: ViewQuery,
  around: (read: () => Promise<Record<string, unknown>>) => Promise<Record<string, unknown>> = (read) => read(),
): Promise<NamedViewRead> => {
  const clocks = deps.reader.check({ asOf: query.asOf, effectiveOn: query.effectiveOn });
  const answer = await around(() => answerView(deps, clocks, view, subject, query));
  const through = isRecordedChanges(view, query) ? query.to! : query.asOf;
  return { answer, position: await answeredPosition(deps.reader, { asOf: through }, -1n), clocks };
};
