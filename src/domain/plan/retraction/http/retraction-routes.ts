import type { FastifyInstance } from 'fastify';
import { PlanReinstatedV1 } from '../../../../../events/plan/plan-reinstated.v1.ts';
import { PlanRetractedV1 } from '../../../../../events/plan/plan-retracted.v1.ts';
import { commandRoutes, effective, type CommandRouteDeps } from '../../../../api/http/command-routes.ts';
import type { PlanCommand } from '../../commands.ts';

export const RetractPlanBody = PlanRetractedV1.extend(effective).strict();
export const ReinstatePlanBody = PlanReinstatedV1.extend(effective).strict();

/**
 * POST /plans/:planId/retraction takes a plan out of every current view and report, with
 * the reason (a document imported by mistake); POST /plans/:planId/reinstatement puts it
 * back. Only a plan manager of the owning organisation may do either (authorise-command.ts).
 */
export const retractionRoutes = (deps: CommandRouteDeps<PlanCommand>) => async (root: FastifyInstance) => {
  const { onPlan } = commandRoutes(root, deps);
  onPlan('/plans/:planId/retraction', 'Retract a plan from every current view and report', RetractPlanBody, (data) => ({
    type: 'RetractPlan',
    data,
  }));
  onPlan('/plans/:planId/reinstatement', 'Reinstate a retracted plan', ReinstatePlanBody, (data) => ({ type: 'ReinstatePlan', data }));
};
