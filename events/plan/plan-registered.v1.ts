import { z } from 'zod';
import { Organisation, RagLegend, Text } from './common.ts';

export const PlanKind = z.enum([
  'crisis-care-concordat',
  'investigation-action-plan',
  'inquiry-response',
  'prevention-of-future-deaths-response',
  'other',
]);

export const PlanRegisteredV1 = z
  .object({
    planId: z.string().min(1).max(100),
    title: Text.max(500),
    kind: PlanKind,
    owner: Organisation,
    governanceBody: Organisation.optional(),
    area: z.string().trim().max(200).optional(),
    description: Text.optional(),
    ragLegend: RagLegend.default([]),
  })
  .strict();
export type PlanRegistered = z.infer<typeof PlanRegisteredV1>;
