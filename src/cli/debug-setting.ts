/**
 * Whether LEDGER_DEBUG asks for an unhandled error's stack trace: the same words that turn the
 * service's other switches on (LEDGER_DEMO_DATA), so `LEDGER_DEBUG=0` or `false` leaves it off
 * rather than turning it on for being set at all.
 */
export const debugging = (value: string | undefined): boolean =>
  value !== undefined && ['1', 'true', 'yes'].includes(value.trim().toLowerCase());
