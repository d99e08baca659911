import { z } from 'zod';
import { queryInteger } from '../../api/http/query-integer.ts';
import { Checkpoint } from '../../integrity/checkpoint.ts';

/** The response shapes of the integrity API (ledger-integrity-routes.ts), as the OpenAPI document publishes them. */
const Hex = z.string().regex(/^[0-9a-f]{64}$/);
export const Size = queryInteger(1, Number.MAX_SAFE_INTEGER);

export const PublicKey = z.object({ keyId: z.string(), pem: z.string(), algorithm: z.literal('Ed25519') });
export const CheckpointPage = z.object({ checkpoints: z.array(Checkpoint), next: z.number().nullable() });
export const InclusionProof = z.object({
  eventId: z.string(),
  leafIndex: z.number(),
  treeSize: z.number(),
  eventHash: Hex,
  rootHash: Hex,
  proof: z.array(Hex).describe('RFC 9162 inclusion path, leaf side first'),
  checkpoint: Checkpoint.nullable().describe('The signed checkpoint of this tree size, if any'),
});
export const ConsistencyProof = z.object({ from: z.number(), to: z.number(), fromRoot: Hex, toRoot: Hex, proof: z.array(Hex) });
const Failure = z.object({
  kind: z.string(),
  message: z.string(),
  stream: z.string().optional(),
  revision: z.string().optional(),
  position: z.string().optional(),
  checkpointTreeSize: z.number().optional(),
  expected: z.string().optional(),
  found: z.string().optional(),
});
export const VerifyReport = z.object({
  ok: z.boolean(),
  eventsChecked: z.number(),
  streamsChecked: z.number(),
  checkpointsChecked: z.number(),
  treeSize: z.number(),
  rootHash: z.string().optional(),
  failure: Failure.optional(),
  keptCheckpoints: z
    .array(z.object({ source: z.string(), treeSize: z.number() }))
    .optional()
    .describe('Checkpoints from outside the database the ledger was compared with'),
  evidenceFiles: z
    .object({
      ok: z.boolean(),
      filesReferenced: z.number(),
      filesChecked: z.number(),
      erased: z.array(z.object({ sha256: z.string(), planId: z.string(), eventId: z.string(), recordedAt: z.string() })),
      unreferenced: z.number(),
      failures: z.array(
        z.object({
          kind: z.string(),
          sha256: z.string(),
          planId: z.string(),
          eventId: z.string(),
          message: z.string(),
          expected: z.string().optional(),
          found: z.string().optional(),
        }),
      ),
    })
    .optional()
    .describe('Every evidence file the events reference, checked against the blob store (erased ones reported as erased)'),
  backendChecks: z.array(z.string()).optional().describe("What the backend checked of its own (e.g. SQLite's integrity_check)"),
  keyHistory: z
    .array(
      z.object({
        keyId: z.string(),
        since: z.string().nullable(),
        how: z.enum(['first', 'endorsed', 'old-key-lost']),
        rotatedAt: z.string().optional(),
        reason: z.string().optional(),
      }),
    )
    .optional()
    .describe(
      "The keys the ledger has signed with, when it rotated its key: how each came in ('old-key-lost' marks an operator's replacement)",
    ),
  clockAnomalies: z
    .object({
      stepsBack: z.number(),
      listed: z.array(z.object({ position: z.string(), previous: z.string(), recordedAt: z.string() })),
      stampsKept: z
        .literal(true)
        .optional()
        .describe('Set where the backend keeps stamps as given (KurrentDB): commands committed out of stamp order, read at ledger time'),
    })
    .optional()
    .describe(
      'Where recordedAt goes backwards in ledger order (on SQLite, a clock that stepped back before ledger time prevented it; ' +
        'on KurrentDB, commands committed out of the order they were stamped in): not a failure',
    ),
});
