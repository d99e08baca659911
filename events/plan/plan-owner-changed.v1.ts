import { z } from 'zod';
import { Organisation, Text } from './common.ts';

/** The plan passes to another owning organisation (a CCG's plans to its successor ICB, say): who owned it, who does now, why. */
export const PlanOwnerChangedV1 = z.object({ from: Organisation, to: Organisation, reason: Text }).strict();
export type PlanOwnerChanged = z.infer<typeof PlanOwnerChangedV1>;
