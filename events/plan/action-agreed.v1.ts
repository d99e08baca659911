import { z } from 'zod';
import { Due } from '../business-date.ts';
import { Organisation, Ref, Text } from './common.ts';

/**
 * The first catalogue version: one lead organisation. Kept so ledgers written
 * with it still read; `upcastActionAgreedV1` turns it into the current version.
 */
export const ActionAgreedV1 = z
  .object({
    ref: Ref,
    text: Text,
    sectionRef: Ref.optional(),
    leadOrganisation: Organisation,
    due: Due,
  })
  .strict();
export type ActionAgreedV1 = z.infer<typeof ActionAgreedV1>;
