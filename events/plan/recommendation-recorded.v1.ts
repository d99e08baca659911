import { z } from 'zod';
import { Due } from '../business-date.ts';
import { Organisations, Ref, Text } from './common.ts';

export const RecommendationRecordedV1 = z
  .object({
    ref: Ref,
    text: Text,
    /** Who made it: an investigation, inquiry, coroner's report or review. */
    source: z.string().trim().max(500).optional(),
    addressedTo: Organisations.default([]),
    /** Its own deadline where it sets one ("within six months"). */
    due: Due.optional(),
  })
  .strict();
export type RecommendationRecorded = z.infer<typeof RecommendationRecordedV1>;
