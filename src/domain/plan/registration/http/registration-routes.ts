import type { FastifyInstance, FastifyRequest } from 'fastify';
import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';
import { SectionAddedV1 } from '../../../../../events/plan/section-added.v1.ts';
import { PlanOwnerChangedV1 } from '../../../../../events/plan/plan-owner-changed.v1.ts';
import { PlanRegisteredV1 } from '../../../../../events/plan/plan-registered.v1.ts';
import { commandRouteOptions, commandRoutes, effective, type CommandRouteDeps } from '../../../../api/http/command-routes.ts';
import { PlanId } from '../../../../api/http/plan-params.ts';
import type { PlanCommand } from '../../commands.ts';

/** The namespace of plan ids derived from a caller and their Idempotency-Key (uuid v5). */
const KEYED_PLAN_ID_NAMESPACE = '6f1c8a52-3d0e-4b7a-9c55-2f4e8d1a7b90';

/** Request bodies are the event schemas, less what the URL says and plus the business date. All strict: unknown fields are refused. */
export const RegisterPlanBody = PlanRegisteredV1.omit({ planId: true })
  .extend({ planId: PlanId.optional().describe('A readable id; generated if omitted'), ...effective })
  .strict();
export const AddSectionBody = SectionAddedV1.extend(effective).strict();
/** `from` is the owner the ledger holds: the server fills it in. */
export const OwnerChangeBody = PlanOwnerChangedV1.omit({ from: true }).extend(effective).strict();

/** POST /plans registers a plan; then sections are added to it, and it may pass to another owner. */
export const registrationRoutes = (deps: CommandRouteDeps<PlanCommand>) => async (root: FastifyInstance) => {
  const { app, onPlan } = commandRoutes(root, deps);
  const { config, tags, responses } = commandRouteOptions;

  /**
   * A plan id the server picks. With an Idempotency-Key it is derived from the caller and
   * the key, so a retried registration names the same plan and replays instead of being
   * a different request; without one, a fresh time-ordered id.
   */
  const newPlanId = (req: FastifyRequest): string => {
    const key = req.headers['idempotency-key'];
    return typeof key === 'string' ? uuidv5(`${deps.actorOf(req).id}\n${key}`, KEYED_PLAN_ID_NAMESPACE) : uuidv7();
  };

  app.post(
    '/plans',
    { config, schema: { tags, summary: 'Register a plan', body: RegisterPlanBody, response: responses } },
    async (req, reply) => {
      const { effectiveOn, planId = newPlanId(req), ...data } = req.body;
      reply.header('location', `/plans/${planId}`);
      await deps.run(req, reply, planId, { type: 'RegisterPlan', data: { ...data, planId } }, effectiveOn);
      return reply;
    },
  );

  onPlan('/plans/:planId/sections', 'Add a section', AddSectionBody, (data) => ({ type: 'AddSection', data }));
  onPlan('/plans/:planId/owner-changes', "Change the plan's owner (reason required)", OwnerChangeBody, (data) => ({
    type: 'ChangePlanOwner',
    data,
  }));
};
