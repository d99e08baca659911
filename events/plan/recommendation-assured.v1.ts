import { z } from 'zod';
import { Organisation, Ref, Text } from './common.ts';

export const AssuranceJudgement = z.enum(['assured', 'partially-assured', 'not-assured']);
export type AssuranceJudgement = z.infer<typeof AssuranceJudgement>;

/** An independent judgement on the evidence, by a named body. */
export const RecommendationAssuredV1 = z
  .object({ ref: Ref, judgement: AssuranceJudgement, assuredBy: Organisation, rationale: Text.optional() })
  .strict();
export type RecommendationAssured = z.infer<typeof RecommendationAssuredV1>;
