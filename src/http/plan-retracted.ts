import type { PlanDoc } from '../../projections/plan-status/document.ts';
import { HttpProblem } from '../api/http/problem.ts';
import { londonDay } from '../domain/calendar.ts';

/**
 * A retracted plan is in no current view, nor are its files served as the plan's: 410 says when (London's
 * day, as every date the ledger names), by whom and why, and where its history still is.
 */
export const planRetracted = (planId: string, retraction: NonNullable<PlanDoc['retraction']>) =>
  new HttpProblem({
    status: 410,
    code: 'plan-retracted',
    title: 'Retracted',
    detail:
      `Plan ${planId} was retracted on ${londonDay(retraction.recordedAt)} by ${retraction.by}: ${retraction.reason}. ` +
      `Its history is in /plans/${planId}/timeline, and ?asOf= an instant before the retraction shows it as ` +
      `it was`,
    retraction: { recordedAt: retraction.recordedAt, by: retraction.by, reason: retraction.reason, eventId: retraction.eventId },
  });
