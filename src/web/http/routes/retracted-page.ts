import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PlanDoc } from '../../../../projections/plan-status/document.ts';
import { instant } from '../../../presentation/format.ts';
import { otherQueryOf, renderPage } from '../render.ts';
import { offersDateForm } from './not-found.ts';
import { checkClocks, type Clocks } from '../../../../projections/clocks/clocks.ts';
import { ReadRequestError } from '../../../../projections/clocks/read-request-error.ts';

/**
 * The page for a plan that, at the clocks asked about, had been retracted: as the API answers
 * 410 plan-retracted, a retracted plan is in no current page, and one reached by an old link says
 * so, who retracted it and why, rather than read as live. Its history is kept: the page links the
 * same page as the ledger stood the moment before the retraction was recorded, at the same business
 * date where the ledger then could be read at it. A page whose address cannot be read at another
 * ledger time (the plan's changes, whose dates may already be ledger times) passes `samePage` false
 * and links the plan. At an earlier date it offers the date form, as a page that finds no plan
 * does, so that another date can be tried from it; `page` is what that form takes on a page whose
 * form differs (the changes page's).
 */
export const retractedPage = (
  request: FastifyRequest,
  reply: FastifyReply,
  planId: string,
  doc: PlanDoc & { retraction: NonNullable<PlanDoc['retraction']> },
  { samePage = true, page = {} }: { samePage?: boolean; page?: Record<string, unknown> } = {},
) => {
  const { retraction } = doc;
  const before = new Date(Date.parse(retraction.recordedAt) - 1).toISOString();
  return renderPage(
    request,
    reply,
    'refused.njk',
    {
      pageTitle: `Retracted: ${doc.plan.title}`,
      problem: {
        title: `${doc.plan.title} was retracted`,
        detail: `${retraction.by} retracted this plan on ${instant(retraction.recordedAt)}, giving the reason: ${retraction.reason}`,
      },
      // A form records in the present: from one, the link is to the plan.
      beforeRetraction: beforeRetractionOf(
        request.routeOptions.config.access === 'command' || !samePage ? '' : request.url,
        planId,
        before,
        request.timeTravel?.effectiveOn,
      ),
      timeTravelForm: offersDateForm(request),
      // The way back to today is the same page with the rest of what it asked for (a window, a history's order).
      keepQuery: otherQueryOf(request.query),
      ...page,
    },
    410,
  );
};

/** Whether the reader would answer at these clocks (checkClocks refuses none else). */
const readableAt = (clocks: Clocks, now: Date): boolean => {
  try {
    checkClocks(clocks, now);
    return true;
  } catch (error) {
    if (error instanceof ReadRequestError) return false;
    throw error;
  }
};

/**
 * The page asked for (the plan, one of its actions, its progress), as the ledger stood at `before`:
 * what else the address asked for (the business date, a history's order) stays. An address that
 * is no page of the plan's (or none: a form's) links to the plan.
 */
const beforeRetractionOf = (url: string, planId: string, before: string, effectiveOn: string | undefined): string => {
  const asked = new URL(url, 'http://page');
  const planPath = `/web/plans/${encodeURIComponent(planId)}`;
  const path = asked.pathname === planPath || asked.pathname.startsWith(`${planPath}/`) ? asked.pathname : planPath;
  asked.searchParams.set('asOf', before);
  asked.searchParams.delete('effectiveOn');
  // A business date that begins after the retraction's day cannot be read as the ledger stood before it (the API's rule).
  if (effectiveOn !== undefined && readableAt({ asOf: before, effectiveOn }, new Date(before)))
    asked.searchParams.set('effectiveOn', effectiveOn);
  return `${path}?${asked.searchParams.toString()}`;
};

/** Whether a plan's document, at the clocks it was read at, says the plan had been retracted. */
export const isRetracted = (doc: PlanDoc): doc is PlanDoc & { retraction: NonNullable<PlanDoc['retraction']> } => Boolean(doc.retraction);
