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

const clocks = {
  asOf: z.string().nullable().describe('The ledger clock the answer was read at (an instant), or null for now'),
  effectiveOn: z.string().nullable().describe('The business clock the answer was read at (a day or a month), or null for no limit'),
};
const page = {
  limit: z.number().describe('The page size used'),
  next: z.string().nullable().describe('Pass as after= for the next page; null on the last'),
};

const findingsPage = {
  limit: z.number().describe('The page size used: at least this many findings, of whole plans'),
  next: z.string().nullable().describe('The last plan on this page: pass as after= for the next page; null on the last'),
};

export const PlansPage = open({ ...clocks, today: z.string(), position: z.string(), ...page, plans: list });
export const PlanDetailJson = open({
  planId: z.string(),
  title: z.string(),
  revision: z.number(),
  today: z.string(),
  ...clocks,
  sections: list,
  recommendations: list,
  actions: list,
  corrections: list,
});
export const TimelineJson = open({
  planId: z.string(),
  ref: z.string().nullable(),
  order: z.enum(['recorded', 'effective']),
  ...clocks,
  limit: z.number().int().nullable().describe('The page size asked for; null when every entry was asked for'),
  entries: list,
  next: z.string().nullable().describe('Pass as after= for the next page; null on the last'),
});
export const ChangesJson = open({
  planId: z.string(),
  clock: z.enum(['recorded', 'effective']),
  from: z.string(),
  to: z.string(),
  actions: list,
  recommendations: list,
  entries: list,
});
export const OrganisationsJson = open({ ...clocks, today: z.string(), ...page, organisations: list });
export const OrganisationJson = open({
  ...clocks,
  organisation: z.string(),
  aliases: z.array(z.string()),
  limit: z.number().describe('The page size used: at least this many actions and recommendations, of whole plans'),
  next: findingsPage.next,
  actions: list,
  awaitingAssurance: list,
});
export const DeadlineReportJson = open({
  ...clocks,
  period: z.enum(['requested', 'current-quarter']).describe('The window asked for, or the default: the current quarter in London'),
  from: z.string(),
  to: z.string(),
  totals: z.record(z.string(), z.number()).describe('Actions by outcome over every plan, whatever the page'),
  ...findingsPage,
  actions: list,
});
export const DiscrepanciesJson = open({
  ...clocks,
  totals: z.record(z.string(), z.number()).describe('Findings in each list over every plan, whatever the page'),
  ...findingsPage,
  greenButOverdue: list,
  completedWithoutEvidence: list,
  recordedLate: list,
  revisedMoreThanTwice: list,
});
