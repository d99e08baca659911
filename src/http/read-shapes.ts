import { z } from 'zod';
import { problemResponses, ProblemDetails } from '../api/http/openapi-responses.ts';

/**
 * Response shapes for the OpenAPI description. They name every top-level field, and every field
 * of the rows the plan list and the organisation list page, and leave the nested detail of a
 * plan, a timeline entry or a report's finding open (documented in docs/projections.md), so
 * serialising a large plan never re-validates every nested field.
 * test/http/read-shapes-name-every-field.int.test.ts holds them to the answers the server sends.
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

const position = {
  position: z
    .string()
    .describe(
      'The ledger position the answer includes: the one asOf resolves to (-1 before the first event), else where the read ' +
        'models stood when the read began (pass it as minPosition to read on from there)',
    ),
};

const today = {
  today: z
    .string()
    .describe('The day "today" means in the answer (overdue, due soon, stale): the effectiveOn, the asOf day or today in London'),
};

/** What the plan list and a plan's own view say of the plan itself, at the clocks read at. */
const planHeader = {
  planId: z.string(),
  title: z.string(),
  kind: z.string(),
  owner: z.string(),
  governanceBody: z.string().nullable(),
  area: z.string().nullable(),
  registeredOn: z.string().describe('The business date the plan was registered on (a day or a month)'),
  revision: z.number().describe("The plan's last event that counts at the clocks: its place in the plan's stream"),
  position: z.string().describe('The same event: its position in the ledger'),
  lastRecordedAt: z.string().describe('When that event was recorded'),
};
const PlanSummary = open({
  ...planHeader,
  actions: z.number().describe('Actions agreed'),
  actionsByStatus: z.record(z.string(), z.number()).describe('Actions by the status recorded'),
  actionsByComputedStatus: z
    .record(z.string(), z.number())
    .describe('Actions by the status worked out on "today" (overdue, due-soon, ...)'),
  overdue: z.number(),
  recommendations: z.number(),
});

export const PlansPage = open({ ...clocks, ...today, ...position, ...page, plans: z.array(PlanSummary) });
export const PlanDetailJson = open({
  ...planHeader,
  description: z.string().nullable(),
  ragLegend: z.array(open({ rating: z.string(), meaning: z.string() })).describe("The plan's own RAG ratings and what each means"),
  ownerChanges: list.describe('Changes of owner, oldest first'),
  ...today,
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
  asOf: clocks.asOf.optional().describe('On the business clock: the ledger clock both points were read at, or null for now'),
  effectiveOn: clocks.effectiveOn
    .optional()
    .describe('On the ledger clock: the business clock both points were read at, or null for no limit'),
  revisionBefore: z.number().nullable().describe("The plan's revision at from; null when it was not registered then"),
  revisionAfter: z
    .number()
    .nullable()
    .describe(
      "The plan's revision at to; null when it was not there then, though it was at from: read at one effectiveOn, " +
        'a correction recorded in between moved its registration past that date, and every action is listed as removed',
    ),
  plan: z
    .array(open({ field: z.string(), before: z.unknown(), after: z.unknown() }))
    .describe(
      "The plan's own fields that changed (title, owner, governanceBody, area, description, ragLegend, sections), " +
        'each before and after; empty when the plan was not registered at from, or is not there at to',
    ),
  actions: list,
  recommendations: list,
  entries: list,
});

/** An organisation's figures over every plan (docs/projections.md has what each counts). */
const organisationFigures = {
  actionsLed: z.number(),
  actionsPartnered: z.number(),
  open: z.number(),
  overdue: z.number(),
  dueWithin30Days: z.number(),
  completedOnTimeAgainstOriginal: z.number(),
  completedLateAgainstOriginal: z.number(),
  completedOnTimeAgainstCurrent: z.number(),
  completedLateAgainstCurrent: z.number(),
  completedOnTimeRecordedAfterDeadline: z
    .number()
    .describe(
      'Of those completed on time against the deadline in force, how many were recorded after the deadline the ledger showed had passed',
    ),
  totalSlippageDays: z.number(),
  stale: z.number(),
  recommendationsAwaitingAssurance: z.number(),
};
export const OrganisationsJson = open({
  ...clocks,
  ...today,
  ...position,
  ...page,
  organisations: z.array(open({ organisation: z.string(), ...organisationFigures })),
});
export const OrganisationJson = open({
  ...clocks,
  ...today,
  ...position,
  organisation: z.string(),
  aliases: z.array(z.string()),
  ...organisationFigures,
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
  organisation: z.string().nullable().describe('The lead organisation asked for (by its canonical name), or null for every one'),
  ...today,
  ...position,
  totals: z.record(z.string(), z.number()).describe('Actions by outcome over every plan, whatever the page'),
  ...findingsPage,
  actions: list,
});
export const DiscrepanciesJson = open({
  ...clocks,
  ...today,
  ...position,
  thresholds: open({
    recordedLateAfterDays: z.number(),
    lateRecordsListedPerAction: z.number(),
    revisionsMoreThan: z.number(),
  }).describe('The limits the lists are drawn with'),
  totals: z.record(z.string(), z.number()).describe('Findings in each list over every plan, whatever the page'),
  ...findingsPage,
  greenButOverdue: list,
  completedWithoutEvidence: list,
  recordedLate: list,
  revisedMoreThanTwice: list,
  revisedAfterDeadline: z
    .array(z.record(z.string(), z.unknown()))
    .describe(
      'Actions with a deadline revision agreed after the deadline then in force had passed (agreedAfterDeadline), or recorded ' +
        'after the one the ledger showed then had passed (recordedAfterDeadline), whatever its date: each such revision, with ' +
        "that deadline (deadlineShown: the revision's from as recorded, which a correction since may have changed; null otherwise)",
    ),
  closedAfterDeadline: z
    .array(z.record(z.string(), z.unknown()))
    .describe(
      'Actions closed after their deadline had passed unmet: subsumed or withdrawn on a date after it (closedAfterDeadline), or ' +
        'completed, subsumed or withdrawn by an entry recorded after the deadline the ledger showed had passed, whatever its date ' +
        '(closureRecordedAfterDeadline: when it was recorded, and that deadline; null otherwise). When (closedOn), how (status), ' +
        'the deadline (currentDue)',
    ),
});
