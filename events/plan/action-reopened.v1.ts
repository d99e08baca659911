import { z } from 'zod';
import { Ref, Text } from './common.ts';

export const ActionReopenedV1 = z.object({ ref: Ref, reason: Text }).strict();
export type ActionReopened = z.infer<typeof ActionReopenedV1>;
