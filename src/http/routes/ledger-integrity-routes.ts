import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queryIntegerOr } from '../../api/http/query-integer.ts';
import { Checkpoint } from '../../integrity/checkpoint.ts';
import { BadProofRequest, CheckpointRefused, UnknownEvent, UnknownPlan } from '../../integrity/errors.ts';
import { ExportBundle } from '../../integrity/export-bundle.ts';
import { KeyRotation } from '../../integrity/key-rotation.ts';
import type { LedgerIntegrity } from '../../integrity/ledger-integrity.ts';
import { LedgerDamaged } from '../../integrity/tree-index.ts';
import { Size, PublicKey, CheckpointPage, InclusionProof, ConsistencyProof, VerifyReport } from './ledger-integrity-schemas.ts';
import { problemResponses } from '../../api/http/openapi-responses.ts';
import { HttpProblem, badRequest } from '../../api/http/problem.ts';
import { noteAuditedPlan, type RouteAccessConfig } from '../../api/http/route-access.ts';
import { noQuery } from '../../api/http/writes-take-no-query.ts';
import { PlanParams } from '../../api/http/plan-params.ts';
import type { EvidenceVerifyReport } from '../../evidence/verify-evidence-files.ts';
import type { EventStore } from '../../store/port.ts';
import { planIdOfStream } from '../../../events/streams.ts';
import { SIGNING_READ } from '../signing-read.ts';

/** Maps the integrity services' refusals to problems; anything else is the error handler's. */
const asProblem = (error: unknown): never => {
  if (error instanceof UnknownPlan)
    throw new HttpProblem({ status: 404, code: 'plan-not-found', title: 'Not found', detail: `No plan ${error.planId}` });
  if (error instanceof UnknownEvent)
    throw new HttpProblem({ status: 404, code: 'event-not-found', title: 'Not found', detail: error.message });
  if (error instanceof BadProofRequest) {
    throw badRequest('invalid-proof-request', error.message, [{ location: `querystring.${error.parameter}`, message: error.message }]);
  }
  if (error instanceof CheckpointRefused) {
    throw new HttpProblem({
      status: 409,
      code: 'checkpoint-refused',
      title: 'Conflict with the ledger',
      detail: `The ledger will not sign: ${error.message}`,
    });
  }
  if (error instanceof LedgerDamaged) {
    // Nothing is served that the events do not prove; say so rather than hide it behind a generic 500.
    throw new HttpProblem({
      status: 500,
      code: 'ledger-damaged',
      title: 'Internal server error',
      detail: `The ledger cannot prove this: ${error.message}. An operator should run \`ledger verify\`.`,
    });
  }
  throw error;
};

/**
 * The ledger's integrity API: its public key, signed checkpoints, RFC 9162 proofs, plan
 * exports and full verification. Proofs and checkpoints are audit reads; signing on demand
 * is an admin act because it uses the ledger's key, which route-access reserves to 'admin'.
 * The public key is open to anyone: a verifier needs it and it is no secret. The store
 * only names the plan of a proven event for the access log.
 */
/** The refusal of a body sent to POST /ledger/checkpoints, in the words of every other validation failure. */
const takesNoBody = () =>
  new HttpProblem({
    status: 400,
    code: 'validation-failed',
    title: 'The request does not match the schema',
    detail: 'body: takes no body (it signs the whole ledger as it stands)',
    errors: [{ location: 'body', message: 'takes no body (it signs the whole ledger as it stands)' }],
  });

export const ledgerIntegrityRoutes =
  (ledger: LedgerIntegrity, store: EventStore, verifyEvidence?: () => Promise<EvidenceVerifyReport>) => async (root: FastifyInstance) => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const tags = ['integrity'];
    const audit: RouteAccessConfig = { access: 'audit' };
    const auditRead: RouteAccessConfig = { access: 'audit', auditRead: true };

    app.get(
      '/ledger/public-key',
      {
        config: { access: 'public' },
        schema: { tags, summary: 'The Ed25519 key that signs checkpoints: pin it', response: { 200: PublicKey } },
      },
      async () => ({
        ...ledger.publicKey,
        algorithm: 'Ed25519' as const,
      }),
    );

    // The same key as a file, for `ledger verify-export --public-key` and anything else that reads PEM.
    app.get(
      '/ledger/public-key.pem',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: 'The same key as a PEM file (SubjectPublicKeyInfo), to pass to `ledger verify-export --public-key`',
          produces: ['application/x-pem-file'],
          response: { 200: z.string().describe('The Ed25519 public key, PEM-encoded') },
        },
      },
      async (_req, reply) =>
        reply
          .type('application/x-pem-file')
          .header('content-disposition', 'attachment; filename="ledger-public-key.pem"')
          .send(ledger.publicKey.pem),
    );

    app.get(
      '/ledger/signing-keys',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: "The ledger's key history: its current key, and every rotation recorded in the ledger",
          description:
            'A rotation is endorsed (signed by the key it replaces, so whoever pinned the old key can trust the new) or marked ' +
            '`oldKeyLost` ' +
            "(an operator's replacement of a lost key, signed by the new key alone). `ledger verify-export` accepts a bundle signed " +
            'by a later key ' +
            'when the key you pin endorsed it through such rotations (docs/verification.md).',
          response: {
            200: z.object({
              current: PublicKey.omit({ algorithm: true }),
              rotations: z.array(
                KeyRotation.extend({ position: z.string().describe('Where the ledger recorded it: it governs every tree holding it') }),
              ),
            }),
          },
        },
      },
      async () => ({
        current: ledger.publicKey,
        rotations: (await ledger.keyHistory()).map((r) => ({ ...r, position: String(r.position) })),
      }),
    );

    app.get(
      '/ledger/checkpoints',
      {
        config: audit,
        schema: {
          tags,
          summary: 'Signed checkpoints, smallest tree first',
          querystring: z.object({ after: queryIntegerOr(0, Number.MAX_SAFE_INTEGER, 0), limit: queryIntegerOr(1, 1000, 100) }).strict(),
          response: { 200: CheckpointPage, ...problemResponses },
        },
      },
      async (req) => {
        const checkpoints = await ledger.checkpoints.page(BigInt(req.query.after), req.query.limit);
        return { checkpoints, next: checkpoints.length === req.query.limit ? checkpoints.at(-1)!.treeSize : null };
      },
    );

    app.get(
      '/ledger/checkpoints/latest',
      {
        config: audit,
        // No parameters, and an unknown one is refused as on every other read, not silently ignored.
        schema: {
          tags,
          summary: 'The latest signed checkpoint',
          querystring: z.object({}).strict(),
          response: { 200: Checkpoint, ...problemResponses },
        },
      },
      async () => {
        const latest = await ledger.checkpoints.latest();
        if (!latest)
          throw new HttpProblem({ status: 404, code: 'no-checkpoint', title: 'Not found', detail: 'No checkpoint has been signed yet' });
        return latest;
      },
    );

    app.post(
      '/ledger/checkpoints',
      {
        config: { access: 'admin' },
        // It signs the whole ledger as it stands: a parameter or a body (a tree size, say) would be ignored, and the caller
        // would believe it had asked for something else. Refused instead, before anything is signed: a parameter as on
        // every admin's write (writes-take-no-query.ts), but not advised into a body, which is refused here too.
        schema: {
          tags,
          summary: 'Sign a checkpoint now, if the ledger grew since the last one',
          querystring: noQuery('it signs the whole ledger as it stands, and takes no body either'),
          response: { 200: Checkpoint, 201: Checkpoint, ...problemResponses },
        },
        preValidation: async (request) => {
          if (request.body !== undefined) throw takesNoBody();
        },
      },
      async (_req, reply) => {
        const { checkpoint, created } = await ledger.checkpointNow().catch(asProblem);
        if (!checkpoint)
          throw new HttpProblem({
            status: 409,
            code: 'ledger-empty',
            title: 'Conflict with the ledger',
            detail: 'An empty ledger has nothing to sign',
          });
        return reply.code(created ? 201 : 200).send(checkpoint);
      },
    );

    app.get(
      '/ledger/proofs/inclusion/:eventId',
      {
        config: auditRead,
        schema: {
          tags,
          summary: "Proof that an event is in the ledger's tree (default: the latest checkpoint holding it)",
          params: z.object({ eventId: z.string().min(1).max(200) }).strict(),
          querystring: z.object({ treeSize: Size.optional() }).strict(),
          response: { 200: InclusionProof, ...problemResponses },
        },
      },
      async (req) => {
        const answer = await ledger.inclusionProof(req.params.eventId, req.query.treeSize).catch(asProblem);
        // The access log records which plan's event was proven: the leaf index is the event's position.
        for await (const event of store.readAll({ fromPosition: BigInt(answer.leafIndex), limit: 1 })) {
          const planId = planIdOfStream(event.stream);
          if (planId !== undefined) noteAuditedPlan(req, planId);
        }
        return answer;
      },
    );

    app.get(
      '/ledger/proofs/consistency',
      {
        config: auditRead,
        schema: {
          tags,
          summary: 'Proof that the tree of size `to` extends the tree of size `from`',
          querystring: z.object({ from: Size, to: Size }).strict(),
          response: { 200: ConsistencyProof, ...problemResponses },
        },
      },
      async (req) => ledger.consistencyProof(req.query.from, req.query.to).catch(asProblem),
    );

    app.get(
      '/plans/:planId/export',
      {
        config: auditRead,
        ...SIGNING_READ,
        schema: {
          tags,
          summary:
            "A plan's self-contained export bundle (as `ledger export --plan`), signing a checkpoint first if the plan has newer events",
          description:
            'Every event of the plan with its chain hashes and an inclusion proof in the signed checkpoint it carries; ' +
            '`ledger verify-export` checks it offline (docs/verification.md).',
          params: PlanParams,
          // Only ever at the head: a parameter such as asOf is refused, not ignored for an export of today.
          querystring: z.object({}).strict(),
          // Loose, so a field the bundle format gains is passed on rather than stripped, which would break its verification.
          response: { 200: ExportBundle.loose(), ...problemResponses },
        },
      },
      async (req) => ledger.exportPlan(req.params.planId).catch(asProblem),
    );

    app.get(
      '/ledger/verify',
      {
        config: audit,
        schema: {
          tags,
          summary: 'Recompute every chain, the tree, and check every checkpoint',
          querystring: z
            .object({
              storageCheck: z
                .enum(['full', 'quick'])
                .default('full')
                .describe("How thoroughly the backend checks its own storage: SQLite's integrity_check (full) or quick_check (quick)"),
            })
            .strict(),
          response: { 200: VerifyReport, ...problemResponses },
        },
      },
      async (req) => {
        const report = await ledger.verify(undefined, { storageCheck: req.query.storageCheck });
        if (!verifyEvidence) return report;
        const evidenceFiles = await verifyEvidence();
        return { ...report, ok: report.ok && evidenceFiles.ok, evidenceFiles };
      },
    );
  };
