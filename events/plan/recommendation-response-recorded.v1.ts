import { z } from 'zod';
import { Organisation, Ref, Text } from './common.ts';

/** The organisation's formal answer to a recommendation (accepted, partly accepted, its plan). */
export const RecommendationResponseRecordedV1 = z.object({ ref: Ref, respondent: Organisation, response: Text }).strict();
export type RecommendationResponseRecorded = z.infer<typeof RecommendationResponseRecordedV1>;
