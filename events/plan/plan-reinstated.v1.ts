import { z } from 'zod';
import { Text } from './common.ts';

/** A retraction reversed: the plan is back in the current views and reports, with the reason it was put back. */
export const PlanReinstatedV1 = z.object({ reason: Text.max(2000) }).strict();
export type PlanReinstated = z.infer<typeof PlanReinstatedV1>;
