import { z } from 'zod';
import { Ref, Text } from './common.ts';

export const ActionWithdrawnV1 = z.object({ ref: Ref, reason: Text }).strict();
export type ActionWithdrawn = z.infer<typeof ActionWithdrawnV1>;
