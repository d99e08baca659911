import { z } from 'zod';
import { BusinessDate } from '../business-date.ts';
import { Text } from './common.ts';
import type { EntryCorrectedV1 } from './entry-corrected.v1.ts';

/**
 * v2 can also correct the corrected event's business date (its envelope's effectiveOn),
 * which is not a data field and so cannot be named in `changes`. The event's envelope is
 * never rewritten: readers lay the corrected date over it as they lay `changes` over data.
 */
export const EntryCorrectedV2 = z
  .object({
    correctedEventId: z.uuid(),
    correctedType: z.string().min(1),
    /** Top-level data fields replaced: may be empty when only the business date is corrected. */
    changes: z.record(z.string().min(1).max(100), z.unknown()),
    /** The corrected event's business date as it should have been recorded; precision follows the form. */
    correctedEffectiveOn: BusinessDate.optional(),
    reason: Text,
  })
  .strict()
  .refine((value) => Object.keys(value.changes).length > 0 || value.correctedEffectiveOn !== undefined, {
    message: 'name at least one field to correct, or a correctedEffectiveOn',
  });
export type EntryCorrected = z.infer<typeof EntryCorrectedV2>;

/** Pure: a v1 correction read as v2. It changed data fields only, so nothing is added. */
export const upcastEntryCorrectedV1 = (v1: z.infer<typeof EntryCorrectedV1>): EntryCorrected => ({
  correctedEventId: v1.correctedEventId,
  correctedType: v1.correctedType,
  changes: v1.changes,
  reason: v1.reason,
});
