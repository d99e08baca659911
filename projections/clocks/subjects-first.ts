import type { Subject } from '../fact-subject.ts';
import { isKnowledgeEvent } from './clocks.ts';

/** The events that bring an action or a recommendation into a plan. */
const bringsIn: ReadonlySet<string> = new Set(['ActionAgreed', 'RecommendationRecorded']);

/** Each action's agreement and each recommendation's recording seen so far, by `kind:ref`, with the day it counts from. */
export type BroughtIn<Day> = Record<string, Day>;

/**
 * Nothing about an action counts on the business clock before its agreement does, nor anything
 * about a recommendation before its recording: an update dated 1 May 2025 of an action agreed "in
 * May 2025" (known to have happened by 31 May) counts from 31 May, with the agreement. The write
 * takes it, as the month may hold the day; without this rule the plan's timeline at 2 May listed
 * the update while the plan, the reports and the action's timeline had no action for it to belong to.
 *
 * Give each of a plan's events in ledger order (an agreement comes before what is about its
 * action), with the day it counts from on its own (clocks.ts `countsFrom`, as a London day or its
 * number); the answer is the day it counts from. `broughtIn` carries what was seen between calls.
 * Corrections, retractions and reinstatements count at every date and pass unchanged.
 */
export const countsFromAfterSubject = <Day extends string | number>(
  broughtIn: BroughtIn<Day>,
  type: string,
  about: Subject,
  own: Day,
): Day => {
  if (isKnowledgeEvent(type) || about.ref === null || (about.kind !== 'action' && about.kind !== 'recommendation')) return own;
  const key = `${about.kind}:${about.ref}`;
  if (bringsIn.has(type)) {
    broughtIn[key] = own;
    return own;
  }
  const from = broughtIn[key];
  return from !== undefined && from > own ? from : own;
};
