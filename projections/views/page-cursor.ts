import { couldBeRecordedName } from '../../src/domain/organisation-name.ts';
import { ReadRequestError } from '../clocks/read-request-error.ts';

/**
 * A list's cursor as a page's `next` gave it: a plan id or an organisation's name. One holding a
 * character no name can hold (a NUL, another C0 control) was never given, and sorted before every
 * name it listed from the start: it is refused as any cursor naming nothing is.
 */
export const pageCursor = (after: string | undefined): string | undefined => {
  if (after !== undefined && !couldBeRecordedName(after))
    throw new ReadRequestError(
      'unknown-cursor',
      'after',
      'after holds a character no plan id or name holds; pass the next of a previous page',
    );
  return after;
};
