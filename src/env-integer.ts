import { z } from 'zod';

/**
 * A whole number from an environment variable. z.coerce.number() would read "" or " " as 0
 * (PORT="" would quietly pick a random port); this refuses anything but digits, with the
 * variable named in the start-up error.
 */
export const envInteger = (min: number, max: number = Number.MAX_SAFE_INTEGER) =>
  z.string().trim().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().int().min(min).max(max));
