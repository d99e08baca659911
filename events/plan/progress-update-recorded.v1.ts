import { z } from 'zod';
import { Target, Text } from './common.ts';

export const Metric = z
  .object({
    description: Text.max(2000),
    value: z.number().finite().optional(),
    unit: z.string().trim().max(50).optional(),
  })
  .strict();

/** A dated narrative ("AUG 2017 The pilot has been completed …"), with the RAG as reported and what it meant in this plan. */
export const ProgressUpdateRecordedV1 = z
  .object({
    target: Target,
    narrative: Text,
    reportedRag: z
      .object({ rating: z.string().trim().min(1).max(40), meaning: z.string().max(2000).optional() })
      .strict()
      .optional(),
    metrics: z.array(Metric).max(50).default([]),
  })
  .strict();
export type ProgressUpdateRecorded = z.infer<typeof ProgressUpdateRecordedV1>;
