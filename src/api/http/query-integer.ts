import { z } from 'zod';

/**
 * A whole number in a query string, written in digits. z.coerce.number() read " " as 0 (then
 * "must be at least 1"), took "1e2" and "0x10" as 100 and 16, and answered a repeated parameter
 * (`limit=5&limit=6`, which arrives as a list) with "expected number, received NaN".
 *
 * The OpenAPI document publishes it as the integer it is, with its range and default (`meta`
 * replaces the digits pattern the string schema would show): clients generate number parameters.
 */
export const queryInteger = (min: number, max: number, fallback?: number) => {
  const range =
    max === Number.MAX_SAFE_INTEGER
      ? `must be a whole number, ${min} or more, up to ${max}`
      : `must be a whole number from ${min} to ${max}`;
  const published = {
    type: 'integer',
    minimum: min,
    maximum: max,
    pattern: undefined,
    ...(fallback !== undefined && { default: fallback }),
  };
  return (
    z
      // A repeated parameter arrives as a list: the error handler names that ("must be given once") for every parameter.
      .string({ error: range })
      .regex(/^\d{1,16}$/, range)
      // A JSON Schema fragment, not one of zod's own keys: `meta` takes any, and the OpenAPI transform lays it over the string's.
      .meta(published as Record<string, unknown>)
      .transform(Number)
      // Every check says the one range: a number past 2^53 failed `int` too, in zod's words beside these.
      .pipe(z.number().int({ error: range }).min(min, range).max(max, range))
  );
};

/** queryInteger, taking `fallback` when the parameter is not given (and saying so in the OpenAPI document). */
export const queryIntegerOr = (min: number, max: number, fallback: number) => queryInteger(min, max, fallback).default(fallback);
