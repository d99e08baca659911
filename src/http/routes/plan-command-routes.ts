import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';

/** The namespace of plan ids derived from a caller and their Idempotency-Key (uuid v5). */
const KEYED_PLAN_ID_NAMESPACE = '6f1c8a52-3d0e-4b7a-9c55-2f4e8d1a7b90';
import type { z } from 'zod';
import type { PlanCommand } from '../../domain/plan/commands.ts';
import { runCommand, type CommandRouteDeps } from '../command-route.ts';
import { problemResponses } from '../openapi-responses.ts';
import type { RouteAccessConfig } from '../route-access.ts';
import * as S from '../schemas.ts';

type RefParams = z.infer<typeof S.RefParams>;

/**
 * One write route per command. Each route only translates URL and body into a command;
 * every rule lives in the decider.
 */
export const planCommandRoutes = (deps: CommandRouteDeps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const responses = { 201: S.CommandAccepted, ...problemResponses };
  const tags = ['commands'];
  const config: RouteAccessConfig = { access: 'command' };

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
    { config, schema: { tags, summary: 'Register a plan', body: S.RegisterPlanBody, response: responses } },
    (req, reply) => {
      const { effectiveOn, planId = newPlanId(req), ...data } = req.body;
      reply.header('location', `/plans/${planId}`);
      return runCommand(deps, req, reply, planId, { type: 'RegisterPlan', data: { ...data, planId } }, effectiveOn);
    },
  );

  /** Routes on the plan whose body maps straight onto one command's data. */
  const onPlan = <B extends z.ZodType<object>>(
    url: string,
    summary: string,
    body: B,
    toCommand: (data: Omit<z.infer<B>, 'effectiveOn'>) => PlanCommand,
  ) =>
    app.post(url, { config, schema: { tags, summary, params: S.PlanParams, body, response: responses } }, (req, reply) => {
      const { effectiveOn, ...data } = req.body as z.infer<B> & { effectiveOn?: string };
      return runCommand(deps, req, reply, req.params.planId, toCommand(data), effectiveOn);
    });

  /** Routes on one recommendation or action, named by its ref in the URL. */
  const onRef = <B extends z.ZodType<object>>(
    url: string,
    summary: string,
    body: B,
    toCommand: (params: RefParams, data: Omit<z.infer<B>, 'effectiveOn'>) => PlanCommand,
  ) =>
    app.post(url, { config, schema: { tags, summary, params: S.RefParams, body, response: responses } }, (req, reply) => {
      const { effectiveOn, ...data } = req.body as z.infer<B> & { effectiveOn?: string };
      return runCommand(deps, req, reply, req.params.planId, toCommand(req.params, data), effectiveOn);
    });

  onPlan('/plans/:planId/sections', 'Add a section', S.AddSectionBody, (data) => ({ type: 'AddSection', data }));
  onPlan('/plans/:planId/recommendations', 'Record a recommendation', S.RecordRecommendationBody, (data) => ({
    type: 'RecordRecommendation',
    data,
  }));
  onPlan('/plans/:planId/actions', 'Agree an action', S.AgreeActionBody, (data) => ({ type: 'AgreeAction', data }));
  onPlan('/plans/:planId/corrections', 'Correct an earlier entry', S.CorrectionBody, (data) => ({ type: 'CorrectEntry', data }));

  const rec = '/plans/:planId/recommendations/:ref';
  onRef(`${rec}/responses`, "Record the organisation's response", S.RecommendationResponseBody, ({ ref }, data) => ({
    type: 'RecordRecommendationResponse',
    data: { ref, ...data },
  }));
  onRef(`${rec}/assurances`, 'Record an assurance judgement', S.AssuranceBody, ({ ref }, data) => ({
    type: 'AssureRecommendation',
    data: { ref, ...data },
  }));
  onRef(`${rec}/progress-updates`, 'Record progress on a recommendation', S.ProgressUpdateBody, ({ ref }, data) => ({
    type: 'RecordProgressUpdate',
    data: { target: { kind: 'recommendation', ref }, ...data },
  }));
  onRef(`${rec}/evidence`, 'Link evidence to a recommendation', S.EvidenceBody, ({ ref }, data) => ({
    type: 'LinkEvidence',
    data: { target: { kind: 'recommendation', ref }, ...data },
  }));

  const action = '/plans/:planId/actions/:ref';
  onRef(`${action}/lead-changes`, 'Change the lead organisations', S.LeadChangeBody, ({ ref }, data) => ({
    type: 'ChangeActionLead',
    data: { ref, ...data },
  }));
  onRef(`${action}/deadline-revisions`, 'Revise the deadline (reason required)', S.DeadlineRevisionBody, ({ ref }, data) => ({
    type: 'ReviseDeadline',
    data: { ref, ...data },
  }));
  onRef(`${action}/progress-updates`, 'Record progress on an action', S.ProgressUpdateBody, ({ ref }, data) => ({
    type: 'RecordProgressUpdate',
    data: { target: { kind: 'action', ref }, ...data },
  }));
  onRef(`${action}/evidence`, 'Link evidence to an action', S.EvidenceBody, ({ ref }, data) => ({
    type: 'LinkEvidence',
    data: { target: { kind: 'action', ref }, ...data },
  }));
  onRef(`${action}/completion`, 'Complete an action', S.CompletionBody, ({ ref }, data) => ({
    type: 'CompleteAction',
    data: { ref, ...data },
  }));
  onRef(`${action}/subsumption`, 'Subsume an action into another action or a programme', S.SubsumptionBody, ({ ref }, data) => ({
    type: 'SubsumeAction',
    data: { ref, ...data },
  }));
  onRef(`${action}/withdrawal`, 'Withdraw an action', S.ReasonBody, ({ ref }, data) => ({
    type: 'WithdrawAction',
    data: { ref, ...data },
  }));
  onRef(`${action}/reopening`, 'Reopen a closed action', S.ReasonBody, ({ ref }, data) => ({
    type: 'ReopenAction',
    data: { ref, ...data },
  }));
};
