import { ambiguousDatePrefix } from './dates.ts';
import { readUpdateOpening } from './update-opening.ts';

/**
 * Words that say what a line of a plan is, shared by the text-export reader and the Word
 * and Excel readers: a recommendation heading ("Recommendation 3: …") and a continuation
 * (an update, a merge into another action, a note) that belongs to the action above it.
 */
export const RECOMMENDATION_HEADING = /^(?:recommendation|rec\.?)\s*(R?\d{1,3}(?:\.\d{1,3})*)\s*[.:)\-–—]?\s*([\s\S]*)$/i;

/** A paragraph after a table that belongs to the action above it: an update (opening with a date or a quarter), a merge, a note. */
export const CONTINUES = new RegExp(
  [
    '^(?:update|progress|note|n\\.?b\\.?|this action|action \\d|complete|completed|withdrawn|closed)\\b',
    '\\b(?:merged|subsumed|absorbed|incorporated)\\b',
    '^\\s*[([]?\\s*\\d{1,2}[/.]\\d{1,2}[/.]\\d{2,4}',
    '^\\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?\\s+\\d{2,4}\\b',
    // A quarter, as an update may open ("Q2 2018/19: …", "2018/19 Q2 …": update-opening.ts).
    '^\\s*[([]?\\s*(?:q|qtr\\.?\\s*|quarter\\s*)[1-4]\\s*(?:of\\s+)?\\d{2,4}\\b',
    '^\\s*[([]?\\s*\\d{4}\\s*[/-]\\s*\\d{2,4}\\s+q[1-4]\\b',
  ].join('|'),
  'i',
);

/** What opens a footnote: "*", "†", "[1]", "Source:", "Key:". */
const FOOTNOTE_MARK = /^\s*(?:[*†‡§¹²³⁴⁵⁶⁷⁸⁹]+|\[\d{1,2}\]|footnotes?\b|sources?\s*:|key\s*:)\s*/i;
const UPDATE_WORD = /^updates?\b/i;

/**
 * A footnote under a table ("* RAG as reported to the Board", "† Revised by the CCG",
 * "Source: Quality Committee"): a note on the document, not an update of the action above.
 * A mark before a date or "Update" ("* Update Sept 2018: 40 of 60 letters audited", "* AUG 2018 …")
 * is a bullet on an update of the action above, and is no footnote; so is one before a quarter ("* Q2 2018/19: …") or a
 * date that reads two ways ("* June 30 2018 – …"), which the update's reading dates or stops at the gate.
 */
export const isFootnote = (text: string): boolean => {
  const mark = FOOTNOTE_MARK.exec(text);
  if (!mark) return false;
  const rest = text.slice(mark[0].length);
  return !UPDATE_WORD.test(rest) && readUpdateOpening(rest) === undefined && ambiguousDatePrefix(rest) === undefined;
};
