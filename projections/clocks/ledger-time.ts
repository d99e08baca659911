import { z } from 'zod';
import { endOfLondonDay, isoInstant, isWithinLondonYears } from '../../src/domain/calendar.ts';

// An instant may stop at the minute (17:00Z), as people write times; without an offset it names no one instant.
const InstantOrDay = z.union([z.iso.datetime({ offset: true }), z.iso.datetime({ offset: true, precision: -1 }), z.iso.date()]);

export const LEDGER_TIME_FORMAT =
  'an ISO 8601 instant with an offset, such as 2019-03-01T17:00Z or 2019-03-01T17:00:00+01:00, ' +
  'or a day as YYYY-MM-DD (the end of that day in London), in the years 0001 to 9999 in London';

/** A time in a form taken, but in no year London names: said so, rather than put down to its form. */
const YEARS_REFUSAL = `must be in the years 0001 to 9999 in London: ${LEDGER_TIME_FORMAT}`;

/**
 * Why a ledger time is refused, in the words every reader of one uses: a day that does not exist
 * (2019-02-30, in a day or an instant) is said so, as a business date's is, rather than only the
 * form it should take, which it seems to have.
 */
export const ledgerTimeRefusal = (value: string): string => {
  const day = /^\d{4}-\d{2}-\d{2}(?=T|$)/.exec(asWritten(value))?.[0];
  if (day !== undefined && !z.iso.date().safeParse(day).success)
    return `must be a day that exists (${day} does not): ${LEDGER_TIME_FORMAT}`;
  return hasLedgerTimeForm(value) ? YEARS_REFUSAL : `must be ${LEDGER_TIME_FORMAT}`;
};

/** Whether a ledger time is written in a form one takes, whatever its year: one refused then is outside London's years. */
export const hasLedgerTimeForm = (value: string): boolean => InstantOrDay.safeParse(asWritten(value)).success;

/**
 * A ledger time as its writer meant it: a `+` written as it is in a query string arrives as a
 * space (form encoding), and an instant never holds one, so it is read back as the `+`.
 */
export const asWritten = (value: string): string => value.replace(/^(\d{4}-\d{2}-\d{2}T[\d:.]+) (\d{2}:\d{2})$/, '$1+$2');

/**
 * A point in ledger time as a client writes it: an instant, or a day meaning the end of that
 * London day; read as an ISO instant in UTC. The API's `asOf`, the CLI's `--as-of` and the
 * pages' "as the ledger stood on" all read it with this, so one value means one instant
 * everywhere (a date that does not exist, or an instant without an offset, is refused by each).
 * London's days are named from the year 1 (the calendar counts years before it as BC) to 9999
 * (an instant written later is compared as text with the times events were recorded, and from
 * the year 10000 its text starts with a `+`), so an instant outside them is refused too, wherever
 * its offset puts it: 9999-12-31T23:00-05:00 is in the year 10000.
 */
export const LedgerTime = z
  .string()
  .transform(asWritten)
  .superRefine((value, context) => {
    if (!InstantOrDay.safeParse(value).success) context.addIssue({ code: 'custom', message: ledgerTimeRefusal(value) });
  })
  .transform((value) => (value.length === 10 ? endOfLondonDay(value) : isoInstant(value)))
  .refine(isWithinLondonYears, { message: YEARS_REFUSAL })
  .describe('An ISO 8601 instant, or a day (YYYY-MM-DD) meaning the end of that day in London');
