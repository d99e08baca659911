import { isKnowledgeEvent } from '../clocks/clocks.ts';
import { subjectOf } from '../fact-subject.ts';
import type { LedgerFact } from '../ledger-fact.ts';
import type { PlanDoc } from '../plan-status/document.ts';
import type { PartKey } from './storage/line-types.ts';
import { actionLine, planHeaderOf, recommendationLine, type ActionLine, type RecommendationLine } from '../plan-status/plan-lines.ts';

/**
 * A plan's lines are kept part by part: the plan's header (`h`), each action (`a:<ref>`) and
 * each recommendation (`r:<ref>`). Every event belongs to one part (what it is about);
 * corrections (`k`, knowledge) belong to none: they change what other parts say.
 */
export type { PartKey };
export const HEADER = 'h';
export const KNOWLEDGE = 'k';
export const actionPart = (ref: string): PartKey => `a:${ref}`;
export const recommendationPart = (ref: string): PartKey => `r:${ref}`;

/** The header line: the plan's own fields, as the plan list shows them. */
export interface HeaderLine {
  title: string;
  kind: string;
  owner: string;
  governanceBody: string | null;
  area: string | null;
  registeredOn: string;
  /** A retracted plan leaves every list and report, at every business date, until it is reinstated. */
  retracted: boolean;
}

export type PartLine = { part: 'h'; line: HeaderLine } | { part: 'a'; line: ActionLine } | { part: 'r'; line: RecommendationLine };

/**
 * The part an event belongs to: the action or recommendation it is about (`subjectOf`, as the
 * timeline and the business clock name it), else the header; corrections, retractions and
 * reinstatements are knowledge. An erasure removes a file's content, not the fact that it was
 * attached: no line changes, and the hash may be attached under several parts, so it belongs to
 * the header.
 */
export const partOf = (fact: LedgerFact): PartKey => {
  if (isKnowledgeEvent(fact.type)) return KNOWLEDGE;
  const { kind, ref } = subjectOf(fact);
  if (ref === null) return HEADER;
  return kind === 'action' ? actionPart(ref) : kind === 'recommendation' ? recommendationPart(ref) : HEADER;
};

/** The plan's header fields as every view shows them (without the id and position, which the history keeps apart). */
const headerLine = (doc: PlanDoc): HeaderLine => {
  const { planId: _planId, position: _position, ...fields } = planHeaderOf(doc);
  return { ...fields, retracted: Boolean(doc.retraction) };
};

/** One part's line in a document, or undefined when the document has no such part. */
export const partLine = (doc: PlanDoc, part: PartKey): PartLine | undefined => {
  if (part === HEADER) return { part: 'h', line: headerLine(doc) };
  const ref = part.slice(2);
  if (part.startsWith('a:')) {
    const action = doc.actions.find((a) => a.ref === ref);
    return action && { part: 'a', line: actionLine(action, doc) };
  }
  if (part.startsWith('r:')) {
    const rec = doc.recommendations.find((r) => r.ref === ref);
    return rec && { part: 'r', line: recommendationLine(rec) };
  }
  return undefined;
};

/** Every part of a document, header first, then recommendations and actions in the order the document keeps them. */
export const partsOf = (doc: PlanDoc): PartKey[] => [
  HEADER,
  ...doc.recommendations.map((r) => recommendationPart(r.ref)),
  ...doc.actions.map((a) => actionPart(a.ref)),
];
