import { z } from 'zod';
import { Ref, Text } from './common.ts';

/** "This has been subsumed into the ACP": into another action of the plan, or a named programme outside it. */
export const ActionSubsumedV1 = z
  .object({
    ref: Ref,
    into: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('action'), ref: Ref }).strict(),
      z.object({ kind: z.literal('programme'), name: Text.max(500) }).strict(),
    ]),
    reason: Text,
  })
  .strict();
export type ActionSubsumed = z.infer<typeof ActionSubsumedV1>;
