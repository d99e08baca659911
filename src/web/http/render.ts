import { FORM_CLOCKS } from '../changes-window.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../access/principal.ts';
import { roleMayCall } from '../../access/roles.ts';
import { asWritten } from '../../../projections/clocks/ledger-time.ts';
import { isMisspeltClock, keepTime, PRESENT, type TimeTravel } from '../time-travel.ts';
import { baseContext } from './page-gate.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The clocks a page shows (set by the time-travel hook from ?asOf= and ?effectiveOn=). */
    timeTravel?: TimeTravel;
    /**
     * Dates in the address that name no point in time, for the page to say so in its error summary and at its
     * date form's fields (set by the time-travel hook, which then reads the page at the present).
     */
    clockErrors?: ClockErrors;
  }
}

/** What a page says of dates it cannot read: each problem at its field, and the dates as they were typed. */
export type ClockErrors = {
  errors: { text: string; href: string }[];
  travelErrors: Record<string, string>;
  travelInput: { asOf: string; effectiveOn: string };
  keepQuery: Record<string, string>;
};

/** The dates of an address's clocks as typed, for the date form to show again (a date given twice: nothing). */
export const typedClocks = (query: { asOf?: unknown; effectiveOn?: unknown }): ClockErrors['travelInput'] => ({
  asOf: typeof query.asOf === 'string' ? asWritten(query.asOf) : '',
  effectiveOn: typeof query.effectiveOn === 'string' ? query.effectiveOn : '',
});

/** The header's links: only what the person's role can open. */
const navigation = (principal: Principal | undefined, travel: TimeTravel) => {
  if (!principal) return [];
  const items: { href: string; text: string }[] = [];
  if (roleMayCall(principal.role, 'projection'))
    items.push(
      { href: '/web', text: 'Plans' },
      { href: '/web/organisations', text: 'Organisations' },
      { href: '/web/reports/deadlines', text: 'Deadlines' },
      { href: '/web/reports/discrepancies', text: 'Discrepancies' },
    );
  const read = items.map((i) => ({ ...i, href: keepTime(i.href, travel) }));
  // Pages of the ledger as it is now (its integrity, an import) are linked without the clocks, which they would only
  // answer with a redirect to this same address.
  if (roleMayCall(principal.role, 'audit')) read.push({ href: '/web/integrity', text: 'Integrity' });
  if (principal.role === 'plan-manager') read.push({ href: '/web/imports', text: 'Import a plan' });
  return read;
};

/**
 * This page as it is today: its path with what it was asked for besides the clocks (a report's
 * period, a history's order), which a page passes as `keepQuery` for its date form to keep too.
 */
const presentHrefOf = (path: string, keepQuery: unknown): string => {
  const kept = new URLSearchParams();
  if (typeof keepQuery === 'object' && keepQuery !== null)
    for (const [name, value] of Object.entries(keepQuery)) if (typeof value === 'string' && value !== '') kept.set(name, value);
  const query = kept.toString();
  return query ? `${path}?${query}` : path;
};

/**
 * What else an address asked for besides its clocks (a report's period and organisation, a history's order, a
 * comparison's window), for a page that offers the date form or the way back to today without reading it: a refusal
 * or a page for nothing at those dates. The comparison form's mark of which dates were the page's own is not kept:
 * sent again from the date form, it would read that form as the comparison's.
 */
export const otherQueryOf = (query: unknown): Record<string, string> =>
  Object.fromEntries(
    Object.entries((query ?? {}) as Record<string, unknown>).filter(
      (entry): entry is [string, string] =>
        entry[0] !== 'asOf' &&
        entry[0] !== 'effectiveOn' &&
        entry[0] !== FORM_CLOCKS &&
        !isMisspeltClock(entry[0]) &&
        typeof entry[1] === 'string',
    ),
  );

/**
 * Whether a page is shown at the present as asked: neither clock set, and no date in the address it could not read. A
 * page answering 400 for such a date shows the present too, but under an error about the date typed: it offers no
 * writes, says nothing was just recorded, and does not count as a visit (the home page's "since your last visit").
 */
export const shownAtPresent = (request: FastifyRequest): boolean => (request.timeTravel ?? PRESENT).live && !request.clockErrors;

/** CSRF tokens are bound to the session, so a token from one session is worthless in another. */
export const csrfTokenFor = (request: FastifyRequest, reply: FastifyReply): string =>
  reply.generateCsrf({ userInfo: request.webSession?.sessionId ?? 'no-session' });

/** Renders a page with what every page carries: who is signed in, the nonce, a CSRF token, the point in time. */
export const renderPage = (request: FastifyRequest, reply: FastifyReply, template: string, data: Record<string, unknown>, status = 200) => {
  const base = baseContext(request);
  const travel = request.timeTravel ?? PRESENT;
  const path = request.url.split('?')[0]!;
  const clock = request.clockErrors;
  // Dates it could not read are the page's own errors (NHS.UK's pattern): its title begins "Error: " and its heading
  // stays its own, the error summary names each date and its date form, open, says it again at the field.
  const withClockErrors = clock && {
    errors: [...(Array.isArray(data.errors) ? (data.errors as PageError[]) : []), ...clock.errors],
    // The page below is the present, not the dates asked for: it says so (layout.njk), unless it is a refusal, which
    // shows no ledger at all (a plan not found, a page not there).
    showsPresentForDates: template !== 'refused.njk',
    // A page's own refusal of a date (one its other dates leave no place for) stands beside the dates it could not read.
    travelErrors: { ...(data.travelErrors as Record<string, string> | undefined), ...clock.travelErrors },
    travelInput: clock.travelInput,
    keepQuery: data.keepQuery ?? clock.keepQuery,
    timeTravelForm: true,
  };
  const errors = withClockErrors?.errors ?? (Array.isArray(data.errors) ? (data.errors as PageError[]) : undefined);
  return reply.code(clock && status < 400 ? 400 : status).view(template, {
    ...base,
    csrfToken: csrfTokenFor(request, reply),
    navigation: navigation(base.principal, travel),
    currentPath: path,
    travel,
    // Writes (the action's forms, "correct an entry") are offered only on the present-day page read as asked.
    offersWrites: shownAtPresent(request),
    // The present-day version of this page, for the banner's way back.
    presentHref: presentHrefOf(path, data.keepQuery),
    ...data,
    ...withClockErrors,
    ...(errors && { errors: inPageOrder(errors) }),
  });
};

type PageError = { text: string; href: string };
/** The date form's fields, in the order it shows them. */
const DATE_FIELDS = ['#asOf', '#effectiveOn'];
/**
 * The error summary in the order of the fields on the page (NHS.UK's pattern): the page's own forms first, then its date
 * form, which comes after them (layout.njk), in its fields' order, whether the page or the dates' own reading refused
 * the date. Otherwise in the order given.
 */
const inPageOrder = (errors: PageError[]): PageError[] => [
  ...errors.filter((e) => !DATE_FIELDS.includes(e.href)),
  ...DATE_FIELDS.flatMap((field) => errors.filter((e) => e.href === field)),
];
