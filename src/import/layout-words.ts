/**
 * Words that say what a line of a plan is, shared by the text-export reader and the Word
 * and Excel readers: a recommendation heading ("Recommendation 3: …") and a continuation
 * (an update, a merge into another action, a note) that belongs to the action above it.
 */
export const RECOMMENDATION_HEADING = /^(?:recommendation|rec\.?)\s*(R?\d{1,3}(?:\.\d{1,3})*)\s*[.:)\-–—]?\s*([\s\S]*)$/i;

/** A paragraph after a table that belongs to the action above it: an update, a merge, a note. */
export const CONTINUES = new RegExp(
  [
    '^(?:update|progress|note|n\\.?b\\.?|this action|action \\d|complete|completed|withdrawn|closed)\\b',
    '\\b(?:merged|subsumed|absorbed|incorporated)\\b',
    '^\\s*[([]?\\s*\\d{1,2}[/.]\\d{1,2}[/.]\\d{2,4}',
    '^\\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?\\s+\\d{2,4}\\b',
  ].join('|'),
  'i',
);

/**
 * A footnote under a table ("* RAG as reported to the Board", "† Revised by the CCG",
 * "Source: Quality Committee"): a note on the document, not an update of the action above.
 */
export const FOOTNOTE = /^\s*(?:[*†‡§¹²³⁴⁵⁶⁷⁸⁹]+|\[\d{1,2}\]|footnotes?\b|sources?\s*:|key\s*:)/i;
