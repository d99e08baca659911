import { z } from 'zod';
import { Due } from '../business-date.ts';
import { Organisation, Organisations, Ref, Text } from './common.ts';
import type { ActionAgreedV1 } from './action-agreed.v1.ts';

/** Plans name several leads ("Dorset CCG with Dorset HealthCare …"), partners, outcomes and links. */
export const ActionAgreedV2 = z
  .object({
    ref: Ref,
    text: Text,
    sectionRef: Ref.optional(),
    recommendationRefs: z.array(Ref).max(50).default([]),
    leadOrganisations: z.array(Organisation).min(1).max(50),
    partnerOrganisations: Organisations.default([]),
    /** The "Led by" cell as written, so nothing the document said is lost to normalisation. */
    ledByWording: z.string().max(2000).optional(),
    intendedOutcomes: z.array(Text).max(50).default([]),
    due: Due,
    /** Cross-references such as "See 1.2". */
    relatedActionRefs: z.array(Ref).max(50).default([]),
  })
  .strict();
export type ActionAgreed = z.infer<typeof ActionAgreedV2>;

/** Pure: a v1 event read as v2. The single lead becomes the only lead; nothing else is invented. */
export const upcastActionAgreedV1 = (v1: ActionAgreedV1): ActionAgreed => ({
  ref: v1.ref,
  text: v1.text,
  ...(v1.sectionRef === undefined ? {} : { sectionRef: v1.sectionRef }),
  recommendationRefs: [],
  leadOrganisations: [v1.leadOrganisation],
  partnerOrganisations: [],
  intendedOutcomes: [],
  due: v1.due,
  relatedActionRefs: [],
});
