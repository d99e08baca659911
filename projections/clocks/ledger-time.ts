import { z } from 'zod';
import { endOfLondonDay, isoInstant } from '../../src/domain/calendar.ts';

// Year 0 has no London day to name: the calendar's formatting counts years before 1 as BC (1 BC for year 0).
// An instant may stop at the minute (17:00Z), as people write times; without an offset it names no one instant.
const InstantOrDay = z
  .union([z.iso.datetime({ offset: true }), z.iso.datetime({ offset: true, precision: -1 }), z.iso.date()])
  .refine((value) => !value.startsWith('0000-'));

export const LEDGER_TIME_FORMAT =
  'an ISO 8601 instant with an offset, such as 2019-03-01T17:00Z or 2019-03-01T17:00:00+01:00, ' +
  'or a day as YYYY-MM-DD (the end of that day in London)';

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
 */
export const LedgerTime = z
  .string()
  .transform(asWritten)
  .refine((value) => InstantOrDay.safeParse(value).success, { message: `must be ${LEDGER_TIME_FORMAT}` })
  .transform((value) => (value.length === 10 ? endOfLondonDay(value) : isoInstant(value)))
  .describe('An ISO 8601 instant, or a day (YYYY-MM-DD) meaning the end of that day in London');
