import { z } from 'zod';
import { Text } from './common.ts';

/**
 * Nothing is edited: a mistake is fixed by this event, naming the event it corrects,
 * the top-level data fields it replaces and why. Readers apply it over the original.
 */
export const EntryCorrectedV1 = z
  .object({
    correctedEventId: z.uuid(),
    correctedType: z.string().min(1),
    changes: z.record(z.string().min(1).max(100), z.unknown()).refine((value) => Object.keys(value).length > 0, {
      message: 'name at least one field to correct',
    }),
    reason: Text,
  })
  .strict();
export type EntryCorrected = z.infer<typeof EntryCorrectedV1>;
