import { z } from 'zod';
import { SignedView } from '../integrity/view-signature.ts';
import { isRecordedChanges, resolveViewQuery, ViewQuery, VIEWS, type ViewName } from '../views/named-view.ts';
import { argumentProblem, type Options } from './view-options.ts';

export { ViewQuery };

/** A signed view as `ledger verify-view` reads it: a view this command line knows, and a query it can read again. */
export const SignedViewFile = SignedView.extend({ view: z.enum(VIEWS), query: ViewQuery }).strict();
export type SignedViewFile = z.infer<typeof SignedViewFile>;

/**
 * The query of `ledger view`'s options, its clocks resolved at `now` (the ledger time the command
 * runs at, src/views/named-view.ts), and a note for each time still to come, read as now: said on
 * stderr only once the view is read, so a command refused after all prints its refusal alone.
 */
export const resolveQuery = (view: ViewName, options: Options, now: Date): { query: ViewQuery; notes: string[] } => {
  const notes: string[] = [];
  // A name and a ref are read trimmed, as the API's query takes them: the file names what was read.
  const trimmed = {
    ...options,
    ...(options.organisation === undefined ? {} : { organisation: options.organisation.trim() }),
    ...(options.action === undefined ? {} : { action: options.action.trim() }),
  };
  const query = resolveViewQuery(view, trimmed, now.toISOString(), (what, asked) =>
    notes.push(
      what === 'asOf'
        ? `ledger view: --as-of ${asked} is still to come; reading the ledger as it stands now, ${now.toISOString()}\n`
        : `ledger view: --${what} ${asked} is still to come; comparing the ledger as it stands now, ${now.toISOString()}\n`,
    ),
  );
  return { query, notes };
};

/**
 * Why a signed file's view, subject and query cannot be read again, as `ledger view` would refuse
 * them on its command line, or undefined. On the ledger clock, changes takes no --as-of: the file's
 * asOf is only the moment it ran, which its window's ends are no later than.
 */
export const queryProblem = (view: ViewName, subject: string | null, query: ViewQuery): string | undefined => {
  const asOf = isRecordedChanges(view, query) ? undefined : query.asOf;
  return argumentProblem(view, subject ?? undefined, { ...query, asOf, progress: false });
};
