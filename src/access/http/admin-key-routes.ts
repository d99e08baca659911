import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { holdsNoControlCharacter, NO_CONTROL_CHARACTERS } from '../../domain/plan/texts.ts';
import { Organisation } from '../../../events/plan/common.ts';
import { problemResponses } from '../../api/http/openapi-responses.ts';
import { HttpProblem } from '../../api/http/problem.ts';
import type { RouteAccessConfig } from '../../api/http/route-access.ts';
import type { AccessControl } from '../access-control.ts';
import { principalId } from '../principal.ts';
import { Role } from '../roles.ts';
import { requirePrincipal } from './request-principal.ts';

const KeyRecord = z.object({
  keyId: z.string(),
  name: z.string(),
  role: Role,
  organisation: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  revokedAt: z.string().nullable(),
  revokedBy: z.string().nullable(),
});
const CreateKeyBody = z
  .object({
    // A name every event recorded with the key carries in its envelope: no control characters (src/domain/plan/texts.ts).
    name: z.string().trim().min(1).max(200).refine(holdsNoControlCharacter, NO_CONTROL_CHARACTERS),
    role: Role,
    organisation: Organisation.refine(holdsNoControlCharacter, NO_CONTROL_CHARACTERS),
  })
  .strict();
const KeyParams = z.object({ keyId: z.string().regex(/^[0-9a-f]{16}$/, 'a key id is 16 hex digits') }).strict();

/** Key management for admins. Keys are never shown again after creation; only hashes are kept. */
export const adminKeyRoutes = (access: AccessControl) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const config: RouteAccessConfig = { access: 'admin' };
  const tags = ['access'];

  app.get(
    '/admin/keys',
    {
      config,
      schema: { tags, summary: 'List API keys (never the keys themselves)', response: { 200: z.object({ keys: z.array(KeyRecord) }) } },
    },
    async () => ({
      keys: await access.keys.list(),
    }),
  );

  app.post(
    '/admin/keys',
    {
      config,
      schema: {
        tags,
        summary: 'Create an API key; the key is in this response only',
        body: CreateKeyBody,
        response: { 201: KeyRecord.extend({ key: z.string() }), ...problemResponses },
      },
    },
    async (req, reply) => {
      const organisation = access.directory.canonical(req.body.organisation);
      const { key, record } = await access.keys.create({ ...req.body, organisation, createdBy: principalId(requirePrincipal(req)) });
      req.log.info({ keyId: record.keyId, role: record.role, organisation }, 'API key created');
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({ ...record, key });
    },
  );

  app.delete(
    '/admin/keys/:keyId',
    {
      config,
      schema: { tags, summary: 'Revoke an API key at once', params: KeyParams, response: { 200: KeyRecord, ...problemResponses } },
    },
    async (req) => {
      const existing = await access.keys.get(req.params.keyId);
      if (!existing)
        throw new HttpProblem({ status: 404, code: 'key-not-found', title: 'Not found', detail: `No key ${req.params.keyId}` });
      if (!(await access.keys.revoke(req.params.keyId, principalId(requirePrincipal(req)))))
        throw new HttpProblem({
          status: 409,
          code: 'key-already-revoked',
          title: 'Conflict',
          detail: `Key ${req.params.keyId} was revoked at ${existing.revokedAt}`,
        });
      req.log.info({ keyId: req.params.keyId }, 'API key revoked');
      return (await access.keys.get(req.params.keyId))!;
    },
  );
};
