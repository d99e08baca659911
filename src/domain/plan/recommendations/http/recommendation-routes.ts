import type { FastifyInstance } from 'fastify';
import { RecommendationAssuredV1 } from '../../../../../events/plan/recommendation-assured.v1.ts';
import { RecommendationRecordedV1 } from '../../../../../events/plan/recommendation-recorded.v1.ts';
import { RecommendationResponseRecordedV1 } from '../../../../../events/plan/recommendation-response-recorded.v1.ts';
import { commandRoutes, effective, type CommandRouteDeps } from '../../../../api/http/command-routes.ts';
import type { PlanCommand } from '../../commands.ts';

export const RecordRecommendationBody = RecommendationRecordedV1.extend(effective).strict();
export const RecommendationResponseBody = RecommendationResponseRecordedV1.omit({ ref: true }).extend(effective).strict();
export const AssuranceBody = RecommendationAssuredV1.omit({ ref: true }).extend(effective).strict();

/** Recording recommendations, the organisation's response to one, and an assurance judgement on it. */
export const recommendationRoutes = (deps: CommandRouteDeps<PlanCommand>) => async (root: FastifyInstance) => {
  const { onPlan, onRef } = commandRoutes(root, deps);
  const rec = '/plans/:planId/recommendations/:ref';
  onPlan('/plans/:planId/recommendations', 'Record a recommendation', RecordRecommendationBody, (data) => ({
    type: 'RecordRecommendation',
    data,
  }));
  onRef(`${rec}/responses`, "Record the organisation's response", RecommendationResponseBody, ({ ref }, data) => ({
    type: 'RecordRecommendationResponse',
    data: { ref, ...data },
  }));
  onRef(`${rec}/assurances`, 'Record an assurance judgement', AssuranceBody, ({ ref }, data) => ({
    type: 'AssureRecommendation',
    data: { ref, ...data },
  }));
};
