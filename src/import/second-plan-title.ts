import type { ImportWarning } from './plan-document.ts';

/**
 * A title over a later table that names a plan of its own ("Serious incident 2018/1234 action plan"): a file holding
 * two plans. Their tables would be imported as one plan under the first's title, so the import stops at the gate
 * (unless the warning is accepted) naming both. Splitting them here is not done: an import is one plan, recorded
 * under the file's SHA-256 ("One document, one plan", docs/import.md), and each plan needs its own id and owner.
 * A title is short, one line and no sentence: a note such as "This action plan is reviewed every quarter." is not one,
 * nor "Action plan (continued)" over the rest of the same plan.
 */
const PLAN_WORDS = /\b(?:action|improvement|recovery|delivery|response)\s+plans?\b/i;
/** The plan's own parts under a heading that mentions it: its RAG key, its glossary, its completed or closed actions. */
const PART_OF_PLAN = /\b(?:key|legend|glossary|rag|ratings?|completed|closed)\b/i;
const SENTENCE = /[.!?]\s|[.!?:]$|^(?:this|the|these|our|we|see|note|please|all)\b|\b(?:continued|cont'?d)\b/i;

/**
 * A numbered part of the document ("Section 2 – Improving crisis care: action plan", "Part B: …", "2. … action plan"):
 * a heading over a part of the plan it is in, whatever its words after the number. A second plan is titled by its own
 * name ("Serious incident 2018/1234 action plan"), not numbered as a part of another's; an appendix or annex may hold
 * one, so they are not among these.
 */
const NUMBERED_PART =
  /^(?:(?:section|part|chapter|theme|priority|workstream|work\s+stream|objective|domain|area)\s+(?:\d{1,2}|[a-z]|[ivx]{1,4})\b|\d{1,2}(?:\.\d{1,2})*[.):]?\s)/i;

const fold = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/** Words before "action plan" that name no plan: "Updated action plan", "Appendix A action plan", "Part 2 action plan". */
const NO_NAME =
  /\b(?:updated?|revised|current|latest|draft|final|full|overall|the|our|this|a|an|and|of|appendix|annex|part|section|[a-z]|\d+)\b/g;

/** The plan's name: the words before "action plan" ("Northshire Crisis Care Concordat"), folded, generic words taken out. */
const nameOf = (title: string) => {
  const words = PLAN_WORDS.exec(title);
  return fold(words ? title.slice(0, words.index) : title)
    .replace(NO_NAME, ' ')
    .replace(/\s+/g, ' ')
    .trim();
};

/**
 * The first plan's title again ("… action plan" over each page's table, perhaps without its date, or with a part or a
 * year after it: "… action plan – Part 2", "… action plan 2018/19") is no second plan, nor a title naming no plan
 * before its "action plan" ("Updated action plan"), nor a numbered part's heading ("Section 2 – …: action plan").
 */
export const namesAnotherPlan = (text: string, firstTitle: string | undefined): boolean => {
  if (!readsAsPlanTitle(text) || nameOf(text) === '' || NUMBERED_PART.test(text.trim())) return false;
  if (firstTitle === undefined) return true;
  const [name, firstName] = [nameOf(text), nameOf(firstTitle)];
  const same = (a: string, b: string) => a.includes(b) || b.includes(a);
  return !(same(fold(firstTitle), fold(text)) || (firstName !== '' && same(firstName, name)));
};

/** Short, one line, no sentence, and "action plan" or the like in it. */
export const readsAsPlanTitle = (text: string): boolean =>
  !text.includes('\n') &&
  text.length <= 150 &&
  text.split(/\s+/).length <= 20 &&
  PLAN_WORDS.test(text) &&
  !SENTENCE.test(text.trim()) &&
  !PART_OF_PLAN.test(text);

export const secondPlanWarning = (title: string, line: number, firstTitle: string | undefined): ImportWarning => ({
  code: 'second-plan-in-file',
  line,
  message:
    `"${title}" reads as the title of a second plan${firstTitle ? ` after "${firstTitle}"` : ''}: its tables would be ` +
    `imported into the first plan. Import each plan as a file of its own (its title and tables in a document, or ` +
    `its sheet in a workbook, of their own), or pass --accept-warnings to import them as one plan`,
});
