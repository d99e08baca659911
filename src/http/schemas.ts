import { z } from 'zod';
import { BusinessDate, Due } from '../../events/business-date.ts';
import { ActionAgreedV2 } from '../../events/plan/action-agreed.v2.ts';
import { ActionCompletedV1 } from '../../events/plan/action-completed.v1.ts';
import { ActionSubsumedV1 } from '../../events/plan/action-subsumed.v1.ts';
import { Organisation, Organisations, Ref, Text } from '../../events/plan/common.ts';
import { EvidenceLinkedFields, evidenceHasUriOrHash, evidenceRule } from '../../events/plan/evidence-linked.v1.ts';
import { PlanRegisteredV1 } from '../../events/plan/plan-registered.v1.ts';
import { ProgressUpdateRecordedV1 } from '../../events/plan/progress-update-recorded.v1.ts';
import { RecommendationAssuredV1 } from '../../events/plan/recommendation-assured.v1.ts';
import { RecommendationRecordedV1 } from '../../events/plan/recommendation-recorded.v1.ts';
import { RecommendationResponseRecordedV1 } from '../../events/plan/recommendation-response-recorded.v1.ts';
import { SectionAddedV1 } from '../../events/plan/section-added.v1.ts';

/** Request bodies are the event schemas, less what the URL says and plus the business date. All strict: unknown fields are refused. */
export const PlanId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'a plan id is lowercase letters, digits and hyphens, up to 100 characters');

const effective = { effectiveOn: BusinessDate.optional().describe('When it happened, as the document says; today if omitted') };

export const PlanParams = z.object({ planId: PlanId }).strict();
export const RefParams = z.object({ planId: PlanId, ref: Ref }).strict();

export const RegisterPlanBody = PlanRegisteredV1.omit({ planId: true })
  .extend({ planId: PlanId.optional().describe('A readable id; generated if omitted'), ...effective })
  .strict();
export const AddSectionBody = SectionAddedV1.extend(effective).strict();
export const RecordRecommendationBody = RecommendationRecordedV1.extend(effective).strict();
export const RecommendationResponseBody = RecommendationResponseRecordedV1.omit({ ref: true }).extend(effective).strict();
export const AssuranceBody = RecommendationAssuredV1.omit({ ref: true }).extend(effective).strict();
export const AgreeActionBody = ActionAgreedV2.extend(effective).strict();
export const LeadChangeBody = z
  .object({ to: z.array(Organisation).min(1).max(50), partnersTo: Organisations.optional(), ...effective })
  .strict();
export const DeadlineRevisionBody = z.object({ to: Due, reason: Text, agreedBy: Organisation.optional(), ...effective }).strict();
export const ProgressUpdateBody = ProgressUpdateRecordedV1.omit({ target: true }).extend(effective).strict();
export const EvidenceBody = EvidenceLinkedFields.omit({ target: true })
  .extend(effective)
  .strict()
  .refine(evidenceHasUriOrHash, evidenceRule);
export const CompletionBody = ActionCompletedV1.omit({ ref: true }).strict();
export const SubsumptionBody = ActionSubsumedV1.omit({ ref: true }).extend(effective).strict();
export const ReasonBody = z.object({ reason: Text, ...effective }).strict();
/**
 * The event's fields less what the server fills in, with its rule (a change or a date) as
 * the request's. `effectiveOn` stays what it is on every route, the correction's own date;
 * the corrected event's date is `correctedEffectiveOn`, so the two cannot be confused.
 */
export const CorrectionBody = z
  .object({
    correctedEventId: z.uuid(),
    changes: z
      .record(z.string().min(1).max(100), z.unknown())
      .default({})
      .describe('Data fields of the corrected event and their corrected values; may be omitted when only its date is corrected'),
    correctedEffectiveOn: BusinessDate.optional().describe(
      "The corrected event's business date as it should have been recorded (YYYY-MM-DD or YYYY-MM); its original date stays in the ledger",
    ),
    reason: Text,
    effectiveOn: BusinessDate.optional().describe(
      "The correction's own business date, today if omitted; to move the corrected event's date use correctedEffectiveOn",
    ),
  })
  .strict()
  .refine((value) => Object.keys(value.changes).length > 0 || value.correctedEffectiveOn !== undefined, {
    message: 'name at least one field to correct, or a correctedEffectiveOn',
  });

export const CommandAccepted = z.object({
  planId: z.string(),
  revision: z.number().describe('The plan stream revision after this command: the new ETag'),
  firstPosition: z.string().describe('Global position of the first event written'),
  position: z.string().describe('Global position of the last event written; pass as minPosition to read your write'),
  eventIds: z.array(z.string()),
  replayed: z.boolean().describe('True when this Idempotency-Key was seen before and nothing new was written'),
});
