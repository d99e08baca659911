import type { FastifyInstance } from 'fastify';
import { EvidenceLinkedFields, evidenceHasUriOrHash, evidenceRule } from '../../../../../events/plan/evidence-linked.v1.ts';
import { ProgressUpdateRecordedV1 } from '../../../../../events/plan/progress-update-recorded.v1.ts';
import { commandRoutes, effective, type CommandRouteDeps } from '../../../../api/http/command-routes.ts';
import type { PlanCommand } from '../../commands.ts';

export const ProgressUpdateBody = ProgressUpdateRecordedV1.omit({ target: true }).extend(effective).strict();
export const EvidenceBody = EvidenceLinkedFields.omit({ target: true })
  .extend(effective)
  .strict()
  .refine(evidenceHasUriOrHash, evidenceRule);

/** Progress updates and evidence, on an action or directly on a recommendation: the URL names which. */
export const progressRoutes = (deps: CommandRouteDeps<PlanCommand>) => async (root: FastifyInstance) => {
  const { onRef } = commandRoutes(root, deps);
  for (const [kind, url, noun] of [
    ['recommendation', '/plans/:planId/recommendations/:ref', 'a recommendation'],
    ['action', '/plans/:planId/actions/:ref', 'an action'],
  ] as const) {
    onRef(`${url}/progress-updates`, `Record progress on ${noun}`, ProgressUpdateBody, ({ ref }, data) => ({
      type: 'RecordProgressUpdate',
      data: { target: { kind, ref }, ...data },
    }));
    onRef(`${url}/evidence`, `Link evidence to ${noun}`, EvidenceBody, ({ ref }, data) => ({
      type: 'LinkEvidence',
      data: { target: { kind, ref }, ...data },
    }));
  }
};
