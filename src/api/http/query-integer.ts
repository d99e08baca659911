import { z } from 'zod';

/**
 * A whole number in a query string, written in digits. z.coerce.number() read " " as 0 (then
 * "must be at least 1"), took "1e2" and "0x10" as 100 and 16, and answered a repeated parameter
 * (`limit=5&limit=6`, which arrives as a list) with "expected number, received NaN".
 */
export const queryInteger = (min: number, max: number) => {
  const range = max === Number.MAX_SAFE_INTEGER ? `must be a whole number, ${min} or more` : `must be a whole number from ${min} to ${max}`;
  return (
    z
      .string({ error: (issue) => (Array.isArray(issue.input) ? 'must be given once' : range) })
      .regex(/^\d{1,16}$/, range)
      .transform(Number)
      .pipe(z.number().int().min(min, range).max(max, range))
      // The OpenAPI document shows the string's pattern alone: the range is said in words (a route may say more).
      .describe(`A whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`}, in digits`)
  );
};
