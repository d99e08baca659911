import type { SwaggerTransform } from '@fastify/swagger';

/**
 * The `operationId` of every documented route: the method names of every client generated
 * from /openapi.json, so they must not change when a route moves between files. Kept in one
 * table, keyed by method and route pattern as fastify declares it, so the whole public
 * vocabulary reads at a glance. A route declared with its own `schema.operationId` keeps it;
 * a documented route with neither fails the OpenAPI tests (test/http/openapi.int.test.ts).
 */
export const operationIds: Readonly<Record<string, string>> = {
  // Operations and the API description
  'GET /health': 'checkHealth',
  'GET /ready': 'checkReadiness',
  'GET /metrics': 'getMetrics',

  // Commands: one per write route, named after the command it runs
  'POST /plans': 'registerPlan',
  'POST /plans/:planId/sections': 'addSection',
  'POST /plans/:planId/owner-changes': 'changePlanOwner',
  'POST /plans/:planId/recommendations': 'recordRecommendation',
  'POST /plans/:planId/recommendations/:ref/responses': 'recordRecommendationResponse',
  'POST /plans/:planId/recommendations/:ref/assurances': 'assureRecommendation',
  'POST /plans/:planId/recommendations/:ref/progress-updates': 'recordRecommendationProgressUpdate',
  'POST /plans/:planId/recommendations/:ref/evidence': 'linkRecommendationEvidence',
  'POST /plans/:planId/actions': 'agreeAction',
  'POST /plans/:planId/actions/:ref/progress-updates': 'recordActionProgressUpdate',
  'POST /plans/:planId/actions/:ref/evidence': 'linkActionEvidence',
  'POST /plans/:planId/actions/:ref/deadline-revisions': 'reviseDeadline',
  'POST /plans/:planId/actions/:ref/lead-changes': 'changeActionLead',
  'POST /plans/:planId/actions/:ref/completion': 'completeAction',
  'POST /plans/:planId/actions/:ref/subsumption': 'subsumeAction',
  'POST /plans/:planId/actions/:ref/withdrawal': 'withdrawAction',
  'POST /plans/:planId/actions/:ref/reopening': 'reopenAction',
  'POST /plans/:planId/corrections': 'correctEntry',
  'POST /plans/:planId/retraction': 'retractPlan',
  'POST /plans/:planId/reinstatement': 'reinstatePlan',
  'POST /imports': 'importPlan',
  'POST /plans/:planId/recommendations/:ref/evidence-files': 'attachRecommendationEvidenceFile',
  'POST /plans/:planId/actions/:ref/evidence-files': 'attachActionEvidenceFile',
  'POST /plans/:planId/evidence-files/:sha256/erasure': 'eraseEvidenceFile',

  // Views, reports and raw events
  'GET /plans': 'listPlans',
  'GET /plans/:planId': 'getPlan',
  'GET /plans/:planId/timeline': 'getPlanTimeline',
  'GET /plans/:planId/actions/:ref/timeline': 'getActionTimeline',
  'GET /plans/:planId/changes': 'listPlanChanges',
  'GET /organisations': 'listOrganisations',
  'GET /organisations/:org': 'getOrganisation',
  'GET /reports/deadlines': 'getDeadlineReport',
  'GET /reports/discrepancies': 'getDiscrepancyReport',
  'GET /plans/:planId/events': 'listPlanEvents',
  'GET /ledger/events': 'listLedgerEvents',
  'GET /plans/:planId/evidence-files/:sha256': 'downloadEvidenceFile',
  'GET /plans/:planId/evidence-pack': 'getEvidencePack',

  // Integrity
  'GET /ledger/public-key': 'getPublicKey',
  'GET /ledger/public-key.pem': 'getPublicKeyPem',
  'GET /ledger/signing-keys': 'getSigningKeyHistory',
  'GET /ledger/checkpoints': 'listCheckpoints',
  'POST /ledger/checkpoints': 'signCheckpoint',
  'GET /ledger/checkpoints/latest': 'getLatestCheckpoint',
  'GET /ledger/proofs/inclusion/:eventId': 'getInclusionProof',
  'GET /ledger/proofs/consistency': 'getConsistencyProof',
  'GET /plans/:planId/export': 'exportPlan',
  'GET /signed-views/:view': 'getSignedView',
  'GET /ledger/verify': 'verifyLedger',

  // Access control
  'GET /admin/keys': 'listApiKeys',
  'POST /admin/keys': 'createApiKey',
  'DELETE /admin/keys/:keyId': 'revokeApiKey',
  'GET /admin/configuration': 'getAccessConfiguration',
  'GET /access-log': 'readAccessLog',
};

/** Gives each documented operation its id from the table (a route's own `operationId` wins). */
export const withOperationIds =
  (inner: SwaggerTransform): SwaggerTransform =>
  (args) => {
    const out = inner(args);
    const schema = (out.schema ?? {}) as Record<string, unknown>;
    if (schema.operationId !== undefined) return out;
    const methods = [args.route.method].flat();
    const operationId = methods.map((method) => operationIds[`${method} ${args.route.url}`]).find((id) => id !== undefined);
    return operationId === undefined ? out : { ...out, schema: { ...schema, operationId } };
  };
