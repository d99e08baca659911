import type { ImportWarning } from './plan-document.ts';
import { isRagColour } from './status-words.ts';
import type { RawUpdate } from './update-paragraphs.ts';

/** A rating read from one RAG or Status column of a row, with its heading and the date the heading gives, if any. */
export interface ColumnRating {
  rating: string;
  line: number;
  label: string;
  date: string | undefined;
}

export type RatedUpdate = RawUpdate & { rating?: string };

export interface RowRatings {
  /** The rating now, put on the row's latest update; undefined when each rating is an update of its own. */
  rag: { rating: string; line: number } | undefined;
  /** A dated rating per column ("RAG Jun 2018" Red, "RAG Sep 2018" Amber), oldest first: the row's rating history. */
  history: RatedUpdate[];
  /** Words of a Status column beside the colour ("In progress"), kept as updates. */
  notes: RatedUpdate[];
}

/**
 * The ratings of one row. A RAG and a Status column side by side: the colour is the rating, the other's word a note.
 * Several colour columns, one a period, are the rating's history: when every heading gives its period, each rating
 * is recorded as its own update, in date order, so the latest is the rating now; when one does not, the order of
 * the ratings is not known for certain, so the last filled in (plans add a column to the right each period) is the
 * rating, and the others are named in a warning rather than given a date the plan did not.
 */
/**
 * `owner` names the row in a warning: "action 1.1", "recommendation 2". `datedColumns`: how many RAG columns of the
 * table's header name a period. A tracker lays out a column per period ahead of time, so a row with one of them filled
 * in so far is history already: its rating is recorded at its period as the next version's will be, else that version
 * would record it a second time.
 */
export const readRowRatings = (ratings: ColumnRating[], owner: string, warnings: ImportWarning[], datedColumns = 0): RowRatings => {
  const colours = ratings.filter((r) => isRagColour(r.rating));
  const notes = (chosen: ColumnRating | undefined): RatedUpdate[] =>
    ratings
      .filter((r) => r !== chosen && !isRagColour(r.rating))
      .map((r) => ({ line: r.line, date: r.date, narrative: `${r.label} reported in the plan: ${r.rating}`, column: r.label }));
  if ((colours.length > 1 || (colours.length === 1 && datedColumns > 1)) && colours.every((r) => r.date !== undefined)) {
    const history = colours
      .map((r, i) => ({ r, i }))
      // Oldest first; a month-precision date sorts before the days of that month, and a tie keeps the file's order.
      .sort((a, b) => (a.r.date! < b.r.date! ? -1 : a.r.date! > b.r.date! ? 1 : a.i - b.i))
      .map(({ r }) => ({
        line: r.line,
        date: r.date,
        narrative: `${r.label} reported in the plan: ${r.rating}`,
        column: r.label,
        rating: r.rating,
      }));
    return { rag: undefined, history, notes: notes(undefined) };
  }
  const rated = colours.at(-1) ?? ratings.at(-1);
  const earlier = colours.filter((r) => r !== rated);
  if (rated && earlier.length > 0)
    warnings.push({
      code: 'rag-columns-undated',
      line: earlier[0]!.line,
      message:
        `${owner} has ${colours.length} RAG ratings, one a column, and ${colours.filter((r) => !r.date).length} ` +
        `of their headings give no date, so their order is not known: ` +
        `recorded "${rated.rating}" from "${rated.label}", the last filled in, as its rating; ` +
        `not recorded: ${earlier.map((r) => `"${r.label}" ${r.rating}`).join(', ')}. Give each heading its period ` +
        `("RAG Jun 2018", "Q1 2018/19 RAG") to record each rating as its own update`,
    });
  return { rag: rated && { rating: rated.rating, line: rated.line }, history: [], notes: notes(rated) };
};
