import { z } from 'zod';

/** A reference as the document numbers it: "1.3", "2", "R4". */
export const Ref = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[A-Za-z0-9][A-Za-z0-9.\-/()]*$/, 'a reference is letters, digits and . - / ( ) such as "1.3"');

export const Text = z.string().trim().min(1).max(20000);
export const Organisation = z.string().trim().min(1).max(300);
export const Organisations = z.array(Organisation).max(50);

/** What a progress update or a piece of evidence is about: an action, or a recommendation directly. */
export const Target = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('action'), ref: Ref }).strict(),
  z.object({ kind: z.literal('recommendation'), ref: Ref }).strict(),
]);
export type Target = z.infer<typeof Target>;

/** A RAG legend entry: what a rating means in this plan (Red means "not started" in one trust, "priority" in another). */
export const RagLegendEntry = z.object({ rating: z.string().trim().min(1).max(40), meaning: Text }).strict();
export const RagLegend = z.array(RagLegendEntry).max(10);
