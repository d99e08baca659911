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
const SENTENCE = /[.!?]\s|[.!?:]$|^(?:this|the|these|our|we|see|note|please|all)\b|\b(?:continued|cont'?d)\b/i;

const fold = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/** The first plan's title again ("… action plan" over each page's table, perhaps without its date) is no second plan. */
export const namesAnotherPlan = (text: string, firstTitle: string | undefined): boolean =>
  readsAsPlanTitle(text) && (firstTitle === undefined || !(fold(firstTitle).includes(fold(text)) || fold(text).includes(fold(firstTitle))));

const readsAsPlanTitle = (text: string): boolean =>
  !text.includes('\n') && text.length <= 150 && text.split(/\s+/).length <= 20 && PLAN_WORDS.test(text) && !SENTENCE.test(text.trim());

export const secondPlanWarning = (title: string, line: number, firstTitle: string | undefined): ImportWarning => ({
  code: 'second-plan-in-file',
  line,
  message:
    `"${title}" reads as the title of a second plan${firstTitle ? ` after "${firstTitle}"` : ''}: its tables would be ` +
    `imported into the first plan. Import each plan as a file of its own (its title and tables in a document, or ` +
    `its sheet in a workbook, of their own), or pass --accept-warnings to import them as one plan`,
});
