import { z } from 'zod';
import { Organisation, Organisations, Ref } from './common.ts';

export const ActionLeadChangedV1 = z
  .object({
    ref: Ref,
    from: z.array(Organisation),
    to: z.array(Organisation).min(1).max(50),
    partnersFrom: Organisations.optional(),
    partnersTo: Organisations.optional(),
  })
  .strict();
export type ActionLeadChanged = z.infer<typeof ActionLeadChangedV1>;
