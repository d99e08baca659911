import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { BusinessDate } from '../../../../../events/business-date.ts';
import { Text } from '../../../../../events/plan/common.ts';
import { commandRoutes, type CommandRouteDeps } from '../../../../api/http/command-routes.ts';
import type { PlanCommand } from '../../commands.ts';

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

/** POST /plans/:planId/corrections: a mistake is fixed by a correcting event that names the entry it corrects. */
export const correctionRoutes = (deps: CommandRouteDeps<PlanCommand>) => async (root: FastifyInstance) => {
  const { onPlan } = commandRoutes(root, deps);
  onPlan('/plans/:planId/corrections', 'Correct an earlier entry', CorrectionBody, (data) => ({ type: 'CorrectEntry', data }));
};
