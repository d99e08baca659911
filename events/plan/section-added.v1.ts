import { z } from 'zod';
import { Ref, Text } from './common.ts';

export const SectionAddedV1 = z.object({ sectionRef: Ref, title: Text.max(500) }).strict();
export type SectionAdded = z.infer<typeof SectionAddedV1>;
