import { z } from 'zod';
import { problemResponses, ProblemDetails } from '../api/http/openapi-responses.ts';

/**
 * Response shapes for the OpenAPI description. They name the top-level fields and leave
 * nested detail open (documented in docs/projections.md), so serialising a large plan
 * never re-validates every nested field.
 */
const open = (fields: Record<string, z.ZodType>) => z.object(fields).loose();
const list = z.array(z.unknown());

export const readResponses = { ...problemResponses, 410: ProblemDetails, 503: ProblemDetails };

export const PlansPage = open({ asOf: z.string().nullable(), today: z.string(), position: z.string(), plans: list });
export const PlanDetailJson = open({
  planId: z.string(),
  title: z.string(),
  revision: z.number(),
  today: z.string(),
  asOf: z.string().nullable(),
  sections: list,
  recommendations: list,
  actions: list,
  corrections: list,
});
export const TimelineJson = open({
  planId: z.string(),
  ref: z.string().nullable(),
  order: z.enum(['recorded', 'effective']),
  asOf: z.string().nullable(),
  entries: list,
  next: z.string().nullable().describe('Pass as after= for the next page; null on the last'),
});
export const ChangesJson = open({
  planId: z.string(),
  from: z.string(),
  to: z.string(),
  actions: list,
  recommendations: list,
  entries: list,
});
export const OrganisationsJson = open({ asOf: z.string().nullable(), today: z.string(), organisations: list });
export const OrganisationJson = open({ organisation: z.string(), aliases: z.array(z.string()), actions: list, awaitingAssurance: list });
export const DeadlineReportJson = open({
  period: z.enum(['requested', 'current-quarter']).describe('The window asked for, or the default: the current quarter in London'),
  from: z.string(),
  to: z.string(),
  totals: z.record(z.string(), z.number()),
  actions: list,
});
export const DiscrepanciesJson = open({
  greenButOverdue: list,
  completedWithoutEvidence: list,
  recordedLate: list,
  revisedMoreThanTwice: list,
});
