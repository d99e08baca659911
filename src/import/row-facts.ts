import type { RawAction } from './action-row.ts';
import { expandAcronym } from './glossary.ts';
import type { DocumentClosure, ImportWarning } from './plan-document.ts';
import type { RawPlan } from './text-plan-input.ts';
import { alsoClosed, legendSense } from './rag-legend.ts';

type Settled = { line: number; date: string; narrative: string };

const SUBSUMED =
  /\b(?:subsumed|absorbed|incorporated|merged|rolled up)\s+(?:in(?:to)?|within)\s+(?:the\s+)?(.+?)(?=\s+and\s|\s+as\s|[.,;:](?:\s|$)|\n|$)/i;
/** "Blue – merged": the action it merged into, where the row names one ("merged with 3.2", "now part of action 3.2", "see 3.2"). */
const MERGE_TARGET = /\b(?:into|with|to|see|part of|under|within)\s+(?:action\s+)?(\d+(?:\.\d+)+)\b/i;
const ACTION_REF = /^(?:action\s+)?(\d+(?:\.\d+)+)$/i;
const SEE = /\b(?:see(?:\s+also)?|links?\s+(?:to|with)|cf\.?)\s+(?:action\s+)?(\d+(?:\.\d+)+)\b/gi;

/**
 * "This has been subsumed into the ACP": the programme is named as the document
 * names it, with its acronym expanded from the glossary or the document's own
 * "Full Name (ABC)", and with the word the document uses for it elsewhere
 * ("… Acute Care Pathway Review"), so "ACP" becomes "Acute Care Pathway Review (ACP)".
 */
const programmeName = (named: string, raw: RawPlan, line: number, warnings: ImportWarning[]): string => {
  const acronym = /^[A-Z]{2,8}$/.test(named) ? named : undefined;
  const full = acronym
    ? expandAcronym(
        acronym,
        raw.glossary.entries.map((e) => e.term),
        raw.raw,
      )
    : named;
  if (acronym && !full) {
    warnings.push({
      code: 'acronym-unexpanded',
      line,
      message: `"${acronym}" is not defined in the glossary or the document; the programme is recorded as "${acronym}"`,
    });
    return acronym;
  }
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const names = [full!, ...(acronym ? [acronym] : [])].map(escape).join('|');
  const kind = new RegExp(`\\b(?:${names})\\s+(review|programme|program|project|pathway review)\\b`, 'i').exec(raw.raw);
  const word = kind ? ` ${kind[1]!.charAt(0).toUpperCase()}${kind[1]!.slice(1).toLowerCase()}` : '';
  return `${full}${word}${acronym ? ` (${acronym})` : ''}`;
};

/** How the action closed, if the plan says: withdrawn, subsumed (an update says so) or complete (a COMPLETE marker). */
export const closureOf = (
  action: RawAction,
  updates: Settled[],
  documentDate: string,
  raw: RawPlan,
  warnings: ImportWarning[],
): DocumentClosure | undefined => {
  if (action.withdrawnLine !== undefined)
    return {
      kind: 'withdrawn',
      reason: action.withdrawnReason ?? 'Marked WITHDRAWN in the plan',
      effectiveOn: documentDate,
      location: `line ${action.withdrawnLine}`,
    };
  // "COMPLETE – subsumed into the ACP" in a status cell says it as plainly as an update does.
  const marker =
    action.completeLine !== undefined && action.completeSummary && SUBSUMED.test(action.completeSummary)
      ? {
          line: action.completeLine,
          date: action.completeDate ?? documentDate,
          narrative: action.completeSummary.replace(/^Marked complete in the plan:\s*/i, ''),
        }
      : undefined;
  const subsuming = updates.find((u) => SUBSUMED.test(u.narrative)) ?? marker;
  if (subsuming) {
    const named = SUBSUMED.exec(subsuming.narrative)![1]!.trim();
    const toAction = ACTION_REF.exec(named);
    const sentence = subsuming.narrative.split(/(?<=\.)\s+/).find((s) => SUBSUMED.test(s)) ?? subsuming.narrative;
    if (action.completeLine !== undefined)
      warnings.push({
        code: 'complete-and-subsumed',
        line: action.completeLine,
        message:
          `action ${action.ref} is marked COMPLETE and the plan says it was subsumed; recorded as subsumed (its ` +
          `work continues elsewhere), which closes it — the COMPLETE marker is kept in the reason`,
      });
    return {
      kind: 'subsumed',
      into: toAction
        ? { kind: 'action', ref: toAction[1]! }
        : { kind: 'programme', name: programmeName(named, raw, subsuming.line, warnings) },
      reason: `${sentence.trim()}${action.completeLine !== undefined ? ' (Marked COMPLETE in the plan.)' : ''}`,
      effectiveOn: subsuming.date,
      location: `line ${subsuming.line}`,
    };
  }
  if (action.completeLine !== undefined)
    return {
      kind: 'completed',
      completedOn: action.completeDate ?? documentDate,
      summary: action.completeSummary ?? 'Marked COMPLETE in the plan',
      location: `line ${action.completeLine}`,
    };
  return legendClosure(action, updates, documentDate, raw, warnings);
};

/**
 * A rating whose legend meaning closes the action: "Green = Completed" is a completion as
 * of the document's date; "Blue = merged into another action" a subsumption into the
 * action the row names; "withdrawn" a withdrawal. Not "reported green but overdue".
 */
const legendClosure = (
  action: RawAction,
  updates: Settled[],
  documentDate: string,
  raw: RawPlan,
  warnings: ImportWarning[],
): DocumentClosure | undefined => {
  const rag = action.rag;
  const entry = rag && raw.ragLegend.find((l) => l.rating.toLowerCase() === rag.rating.toLowerCase());
  if (!rag || !entry) return undefined;
  const sense = legendSense(entry.meaning);
  const why = `Rated ${entry.rating} in the plan (${entry.rating}: ${entry.meaning})`;
  const location = `line ${rag.line}`;
  if (sense === 'withdrawn') return { kind: 'withdrawn', reason: why, effectiveOn: documentDate, location };
  if (sense === 'completed') return { kind: 'completed', completedOn: documentDate, summary: why, location };
  if (sense !== 'merged') return undefined;
  const target = [action.text, ...updates.map((u) => u.narrative)].map((t) => MERGE_TARGET.exec(t)?.[1]).find((r) => r && r !== action.ref);
  if (target) return { kind: 'subsumed', into: { kind: 'action', ref: target }, reason: why, effectiveOn: documentDate, location };
  if (alsoClosed(entry.meaning)) {
    warnings.push({
      code: 'merged-or-closed',
      line: rag.line,
      message:
        `action ${action.ref} is rated ${entry.rating} ("${entry.meaning}") and names no action it merged into; ` +
        `recorded as completed as of ${documentDate}`,
    });
    return { kind: 'completed', completedOn: documentDate, summary: why, location };
  }
  warnings.push({
    code: 'merged-without-target',
    line: rag.line,
    message:
      `action ${action.ref} is rated ${entry.rating} ("${entry.meaning}") but the row names no action it merged ` +
      `into, so it was left open; name the action (e.g. "merged into 3.2") in its progress`,
  });
  return undefined;
};

/** "See 1.2", "links to 4.1": cross-references to other actions of the plan, wherever the row mentions them. */
export const linksOf = (action: RawAction, updates: Settled[], refs: Set<string>, warnings: ImportWarning[]): string[] => {
  const found = new Set<string>();
  const texts: { text: string; line: number }[] = [
    { text: action.text, line: action.line },
    ...action.outcomes.map((o) => ({ text: o, line: action.line })),
    ...updates.map((u) => ({ text: u.narrative, line: u.line })),
  ];
  for (const { text, line } of texts)
    for (const m of text.matchAll(SEE)) {
      const ref = m[1]!;
      if (ref === action.ref) continue;
      if (refs.has(ref)) found.add(ref);
      else
        warnings.push({
          code: 'unknown-link',
          line,
          message: `action ${action.ref} refers to ${ref}, which is not an action of this plan; the link was not recorded`,
        });
    }
  return [...found];
};
