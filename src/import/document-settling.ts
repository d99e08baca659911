import type { z } from 'zod';
import { earlier, later } from './dates.ts';
import { ImportError } from './import-error.ts';
import type { ImportWarning } from './plan-document.ts';

/**
 * The date a document speaks as of: the one it states (its title or preamble), else its
 * latest dated update; `--effective-on` supplies one when it has neither, and overrides
 * it otherwise (with a note of what the document said). A document with no date at all
 * is refused: dating its facts "today" would record a plan from 2015 as news.
 */
export const settleDocumentDate = (
  stated: string | undefined,
  updateDates: string[],
  supplied: string | undefined,
  warnings: ImportWarning[],
): string => {
  const own = stated ?? (updateDates.length ? updateDates.reduce(later) : undefined);
  if (supplied) {
    if (own && own !== supplied)
      warnings.push({
        code: 'effective-on-overrides',
        message:
          `the document reads as of ${own}; --effective-on ${supplied} was given, so undated facts are dated ${supplied}, ` +
          'and updates dated after it are held to it',
      });
    return supplied;
  }
  if (own) return own;
  throw new ImportError(
    'document-undated',
    'the document states no date (none in its title or preamble, and no dated update), so its facts cannot ' +
      'be dated. Pass --effective-on <date> (HTTP: effectiveOn), e.g. --effective-on 2016-03, with the date ' +
      'the plan speaks as of; --accept-warnings does not supply one',
    undefined,
    422,
  );
};

export const earliestOf = (dates: string[], fallback: string) => dates.reduce(earlier, fallback);

const FACTS: Record<string, string> = {
  plan: 'the plan',
  sections: 'section',
  recommendations: 'recommendation',
  actions: 'action',
  updates: 'update',
  glossary: 'glossary term',
};

/**
 * A document that fails the format's schema, said as a person would: which fact, where it
 * is in the file, which field and why, not a schema path ("updates.0.reportedRag.rating").
 */
export const invalidDocument = (error: z.ZodError, input: Record<string, unknown>): ImportError => {
  const issues = error.issues.slice(0, 3).map((issue) => {
    const [collection, index, ...field] = issue.path;
    const list = input[String(collection)];
    const fact = (Array.isArray(list) && typeof index === 'number' ? list[index] : list) as
      { ref?: string; location?: string; target?: { ref?: string } } | undefined;
    const name = FACTS[String(collection)] ?? String(collection);
    const ref = fact?.ref ?? fact?.target?.ref;
    const what = `${name}${ref ? ` ${ref}` : ''}`;
    const rest = (typeof index === 'number' ? field : [index, ...field]).filter((p) => p !== undefined && typeof p !== 'number').join(' ');
    return `${fact?.location ? `${fact.location}: ` : ''}${what}${rest ? ` (${rest})` : ''}: ${issue.message}`;
  });
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return new ImportError('document-invalid', `the document could not be read into a plan: ${issues.join('; ')}${more}`, undefined, 422);
};
