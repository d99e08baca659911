import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Due } from '../../../../../events/business-date.ts';
import { ActionAgreedV2 } from '../../../../../events/plan/action-agreed.v2.ts';
import { ActionCompletedV1 } from '../../../../../events/plan/action-completed.v1.ts';
import { ActionSubsumedV1 } from '../../../../../events/plan/action-subsumed.v1.ts';
import { Organisation, Organisations, Text } from '../../../../../events/plan/common.ts';
import { commandRoutes, effective, type CommandRouteDeps } from '../../../../api/http/command-routes.ts';
import type { PlanCommand } from '../../commands.ts';

export const AgreeActionBody = ActionAgreedV2.extend(effective).strict();
export const LeadChangeBody = z
  .object({ to: z.array(Organisation).min(1).max(50), partnersTo: Organisations.optional(), ...effective })
  .strict();
export const DeadlineRevisionBody = z.object({ to: Due, reason: Text, agreedBy: Organisation.optional(), ...effective }).strict();
/** A completion's business date is its completedOn: no separate effectiveOn. */
export const CompletionBody = ActionCompletedV1.omit({ ref: true }).strict();
export const SubsumptionBody = ActionSubsumedV1.omit({ ref: true }).extend(effective).strict();
export const ReasonBody = z.object({ reason: Text, ...effective }).strict();

/** Agreeing actions, and everything that happens to one: new leads, deadline revisions, closure and reopening. */
export const actionRoutes = (deps: CommandRouteDeps<PlanCommand>) => async (root: FastifyInstance) => {
  const { onPlan, onRef } = commandRoutes(root, deps);
  const action = '/plans/:planId/actions/:ref';
  onPlan('/plans/:planId/actions', 'Agree an action', AgreeActionBody, (data) => ({ type: 'AgreeAction', data }));
  onRef(`${action}/lead-changes`, 'Change the lead organisations', LeadChangeBody, ({ ref }, data) => ({
    type: 'ChangeActionLead',
    data: { ref, ...data },
  }));
  onRef(`${action}/deadline-revisions`, 'Revise the deadline (reason required)', DeadlineRevisionBody, ({ ref }, data) => ({
    type: 'ReviseDeadline',
    data: { ref, ...data },
  }));
  onRef(`${action}/completion`, 'Complete an action', CompletionBody, ({ ref }, data) => ({
    type: 'CompleteAction',
    data: { ref, ...data },
  }));
  onRef(`${action}/subsumption`, 'Subsume an action into another action or a programme', SubsumptionBody, ({ ref }, data) => ({
    type: 'SubsumeAction',
    data: { ref, ...data },
  }));
  onRef(`${action}/withdrawal`, 'Withdraw an action', ReasonBody, ({ ref }, data) => ({ type: 'WithdrawAction', data: { ref, ...data } }));
  onRef(`${action}/reopening`, 'Reopen a closed action', ReasonBody, ({ ref }, data) => ({ type: 'ReopenAction', data: { ref, ...data } }));
};
