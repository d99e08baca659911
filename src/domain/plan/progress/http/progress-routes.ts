import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { EvidenceLinkedFields, EvidenceUri, evidenceHasUriOrHash, evidenceRule } from '../../../../../events/plan/evidence-linked.v1.ts';
import { ProgressUpdateRecordedV1 } from '../../../../../events/plan/progress-update-recorded.v1.ts';
import { commandRoutes, effective, type CommandRouteDeps } from '../../../../api/http/command-routes.ts';
import type { PlanCommand } from '../../commands.ts';
import { uriCharacterProblem } from '../uri-characters.ts';

export const ProgressUpdateBody = ProgressUpdateRecordedV1.omit({ target: true }).extend(effective).strict();
/**
 * A link to record: one the event's schema takes, then written only in the characters a URI may hold
 * (uri-characters.ts). Piped, so a link refused for its scheme is told that alone, not its characters as well.
 */
export const NewEvidenceUri = EvidenceUri.pipe(
  z.string().superRefine((uri, ctx) => {
    const problem = uriCharacterProblem(uri);
    if (problem) ctx.addIssue({ code: 'custom', message: `an evidence uri ${problem}` });
  }),
);
export const EvidenceBody = EvidenceLinkedFields.omit({ target: true })
  .extend({ ...effective, uri: NewEvidenceUri.optional() })
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
