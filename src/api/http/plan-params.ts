import { z } from 'zod';
import { Ref } from '../../../events/plan/common.ts';

/** A plan id as the API takes it in a URL or a body. */
export const PlanId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'a plan id is lowercase letters, digits and hyphens, up to 100 characters');

export const PlanParams = z.object({ planId: PlanId }).strict();
export const RefParams = z.object({ planId: PlanId, ref: Ref }).strict();
export type RefParams = z.infer<typeof RefParams>;
