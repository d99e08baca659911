import { endOfLondonDay } from '../domain/calendar.ts';
import { businessDate, instant } from './format.ts';

/**
 * "As the ledger stood on a date": a page asked for `asOf=2017-03-31` shows what the ledger
 * said at the end of that London day, from only the events recorded by then; an ISO instant
 * is taken as it is. A date from today on is simply the present.
 */
export type TimeTravel = { past: false; asOf?: undefined } | { past: true; asOf: string; label: string; value: string; query: string };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export { endOfLondonDay };

export class BadTimeTravel extends Error {}

export const timeTravelOf = (asOf: unknown, now: Date): TimeTravel => {
  if (asOf === undefined || asOf === '') return { past: false };
  if (typeof asOf !== 'string') throw new BadTimeTravel('Enter one date');
  let at: string;
  let label: string;
  if (DAY.test(asOf)) {
    const parsed = new Date(`${asOf}T12:00:00Z`);
    if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== asOf) throw new BadTimeTravel('Enter a real date');
    at = endOfLondonDay(asOf);
    label = `the end of ${businessDate(asOf)}`;
  } else {
    const parsed = new Date(asOf);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(asOf) || Number.isNaN(parsed.getTime())) throw new BadTimeTravel('Enter a date as day, month and year');
    at = parsed.toISOString();
    label = instant(at);
  }
  if (at >= now.toISOString()) return { past: false };
  return { past: true, asOf: at, label, value: asOf, query: `asOf=${encodeURIComponent(asOf)}` };
};

/** A link that keeps the page's point in time. */
export const keepTime = (href: string, travel: TimeTravel): string =>
  travel.past ? `${href}${href.includes('?') ? '&' : '?'}${travel.query}` : href;
