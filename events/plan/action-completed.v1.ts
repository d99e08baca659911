import { z } from 'zod';
import { BusinessDate } from '../business-date.ts';
import { Ref, Text } from './common.ts';

/** Completed is not assured: the completion date is recorded, and evidence is linked separately. */
export const ActionCompletedV1 = z.object({ ref: Ref, completedOn: BusinessDate, summary: Text.optional() }).strict();
export type ActionCompleted = z.infer<typeof ActionCompletedV1>;
