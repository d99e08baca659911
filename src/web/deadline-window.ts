import { BusinessDate, firstDayOf, lastDayOf } from '../../events/business-date.ts';
import { quarterOf } from '../../projections/plan-status/dates.ts';
import { couldBeRecordedName } from '../domain/plan/texts.ts';
import { given, once, TWICE } from './query-fields.ts';

export type DeadlineQuery = { from?: unknown; to?: unknown; organisation?: unknown };

export type DeadlineWindow = {
  /** The period shown: as asked, or the current quarter as months (`2017-01` to `2017-03`). */
  from: string;
  to: string;
  organisation?: string | undefined;
  /** Named as the API's `period` names it: whether the period was asked for or is the quarter holding "today". */
  period: 'requested' | 'current-quarter';
  /** What was asked, as typed: what the page's links and date form keep (never the quarter, which moves with the clocks). */
  asked: Record<string, string>;
  errors: { text: string; href: string }[];
};

/**
 * The deadlines page's period, read as the API's `GET /reports/deadlines` reads it
 * (projections/views/report-views.ts): both ends, or neither for the calendar quarter holding
 * "today" at the clocks; one alone is refused, naming the other. Errors are in the NHS.UK
 * pattern, pointing at the field.
 */
export const deadlineWindow = (query: DeadlineQuery, today: string): DeadlineWindow => {
  const fields = { from: given(query.from), to: given(query.to), organisation: given(query.organisation) } as const;
  const asked = { from: once(fields.from), to: once(fields.to) };
  const named = once(fields.organisation)?.slice(0, 300);
  // No recorded name holds a C0 control character (texts.ts): such a name is refused, as the API refuses it (400), not looked for.
  const nameError =
    fields.organisation === TWICE
      ? [{ text: 'Choose one organisation, or all organisations, from the list', href: '#organisation' }]
      : named !== undefined && !couldBeRecordedName(named)
        ? [{ text: 'The organisation must not hold control characters: choose one from the list', href: '#organisation' }]
        : [];
  const organisation = nameError.length ? undefined : named;
  const keep = Object.fromEntries(Object.entries({ ...asked, organisation }).filter((e): e is [string, string] => e[1] !== undefined));
  if (fields.from === undefined && fields.to === undefined) {
    // The quarter is whole months: shown as months, it covers the API's days exactly.
    const quarter = quarterOf(today);
    return {
      from: quarter.from.slice(0, 7),
      to: quarter.to.slice(0, 7),
      organisation,
      period: 'current-quarter',
      asked: keep,
      errors: nameError,
    };
  }
  // In the order the fields stand on the page (from, to, then the organisation), as the error summary lists them.
  const errors: DeadlineWindow['errors'] = [];
  const from = asked.from ?? '';
  const to = asked.to ?? '';
  if (fields.from === TWICE) errors.push({ text: 'Enter one from date', href: '#from' });
  else if (asked.from === undefined) errors.push({ text: 'Enter from as well as to, or neither for the current quarter', href: '#from' });
  else if (!BusinessDate.safeParse(from).success)
    errors.push({ text: 'From must be a month (2017-01) or a day (2017-01-31)', href: '#from' });
  if (fields.to === TWICE) errors.push({ text: 'Enter one to date', href: '#to' });
  else if (asked.to === undefined) errors.push({ text: 'Enter to as well as from, or neither for the current quarter', href: '#to' });
  else if (!BusinessDate.safeParse(to).success) errors.push({ text: 'To must be a month (2017-12) or a day (2017-12-31)', href: '#to' });
  if (!errors.length && firstDayOf(from) > lastDayOf(to)) errors.push({ text: 'From must not be after to', href: '#from' });
  errors.push(...nameError);
  return { from, to, organisation, period: 'requested', asked: keep, errors };
};
