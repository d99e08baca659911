import { z } from 'zod';
import { Text } from './common.ts';

/**
 * A plan withdrawn from every current view and report because it should not be there (a
 * document imported by mistake, its columns shifted). Nothing is deleted: its events stay
 * in its timeline, in "as of" answers before the retraction, in audits and in verify.
 */
export const PlanRetractedV1 = z.object({ reason: Text.max(2000) }).strict();
export type PlanRetracted = z.infer<typeof PlanRetractedV1>;
