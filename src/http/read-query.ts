import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { OrganisationDirectory } from '../organisations/organisation-directory.ts';
import type { PlanReader } from '../../projections/plan-reader.ts';
import type { EvidenceFileIndex } from '../../projections/evidence-files/projection.ts';
import { BusinessDate } from '../../events/business-date.ts';
import type { Clocks } from '../../projections/clocks/clocks.ts';
import { LedgerTime } from '../../projections/clocks/ledger-time.ts';
import { sendProblem } from '../api/http/problem.ts';

/** What the read routes need: the plan documents (live or as of an instant), the runner's progress, the alias table. */
export interface ReadModelDeps {
  reader: PlanReader;
  runner: {
    position(): bigint;
    waitFor(position: bigint, timeoutMs: number): Promise<boolean>;
    /** Why the runner folds nothing (another process keeps the views at another version): /ready says so. */
    retired?(): string | undefined;
    /** Why the views are partial, behind the ledger's head since another process reset them (a rebuild): /ready says so. */
    behindAFold?(head: bigint | undefined): string | undefined;
    /** Whether `behindAFold` may say so: asked first, as it needs no ledger head (refuse-while-views-reset.ts). */
    mayBeBehindAFold?(): boolean;
  };
  directory: OrganisationDirectory;
  /** Evidence files across plans (which were erased anywhere); absent in apps built without it. */
  evidenceFiles?: EvidenceFileIndex;
  /** How long a read waits for minPosition before answering 503 (default 2000 ms). */
  readYourWritesTimeoutMs?: number;
  /** The ledger's last position (buildApp passes the store's), so a position never written is refused at once instead of waited for. */
  ledgerHead?: () => Promise<bigint | undefined>;
  /** An instant still to come as the ledger time now (ledger-now.ts; buildApp passes the store's); absent, read as given. */
  notAfterLedgerNow?: (instant: string) => Promise<string>;
}

/** Every read takes these: the two clocks to answer at, and a position the answer must include. */
export const readQuery = {
  // `meta` lays JSON Schema keys over the published string (query-integer.ts): clients and the explorer see the forms taken.
  asOf: z
    .string()
    // On the string the pipe reads: a meta on LedgerTime itself sits on its output, which the description does not show.
    .meta({ examples: ['2019-03-01', '2019-03-01T17:00:00Z', '2019-03-01T17:00+01:00'] })
    .pipe(LedgerTime)
    .optional()
    .describe(
      'Ledger time: answer as the ledger would have then, from only the events recorded by this instant ' +
        '(or by the end of this London day); one still to come is read as the ledger time now, which the answer names as its asOf',
    ),
  effectiveOn: BusinessDate.meta({ pattern: '^\\d{4}-\\d{2}(-\\d{2})?$', examples: ['2017-08', '2017-08-15'] })
    .optional()
    .describe(
      'Business time: answer what was true on this day (YYYY-MM-DD) or by the end of this month (YYYY-MM), ' +
        'from the facts that had happened by then as the ledger knows them (at asOf, if given)',
    ),
  minPosition: z
    .string()
    // Any number of digits: one past the ledger's head is `position-not-written` (registerReadYourWrites), however long.
    .regex(/^\d+$/, 'must be a global position (a whole number)')
    .optional()
    .describe('Wait until the read models include this global position (from a write response) before answering'),
};
export const ReadQuery = z.object(readQuery).strict();

/**
 * The clocks of a read; an effectiveOn that begins after the asOf day (or today) is refused
 * with 400 naming it (the error handler answers the reader's ReadRequestError).
 */
export const clocksOfQuery = async (
  deps: Pick<ReadModelDeps, 'reader' | 'notAfterLedgerNow'>,
  query: { asOf?: string | undefined; effectiveOn?: string | undefined },
): Promise<Clocks> => deps.reader.check({ asOf: await ledgerTimeOfRead(deps, query.asOf), effectiveOn: query.effectiveOn });

/** A ledger time a read names (an `asOf`, or a side of `changes`): one still to come is read as the ledger time now. */
export const ledgerTimeOfRead = async (deps: Pick<ReadModelDeps, 'notAfterLedgerNow'>, instant: string | undefined) =>
  instant === undefined || !deps.notAfterLedgerNow ? instant : deps.notAfterLedgerNow(instant);

/**
 * Read-your-writes for the live read models: a read naming a position waits, up to the
 * timeout, for the projections to include it, else 503 with Retry-After. An `asOf` read
 * folds the ledger itself, so it never waits; a position never written is refused either way.
 */
export const registerReadYourWrites = (app: FastifyInstance, deps: ReadModelDeps) => {
  app.addHook('preHandler', async (request, reply) => {
    const query = request.query as { minPosition?: string; asOf?: string } | undefined;
    if (query?.minPosition === undefined) return;
    const target = BigInt(query.minPosition);
    const asOf = query.asOf !== undefined;
    if (!asOf && target <= deps.runner.position()) return;
    // A write's response is sent after its commit, so a position beyond the ledger's head was
    // never handed out: waiting for it would only end in a 503 the client would retry forever.
    const head = deps.ledgerHead ? await deps.ledgerHead() : undefined;
    if (deps.ledgerHead && (head === undefined || target > head))
      return sendProblem(
        reply,
        {
          status: 400,
          code: 'position-not-written',
          title: 'Bad request',
          detail:
            `minPosition ${target} is beyond the ledger's last position ` +
            `(${head === undefined ? 'the ledger is empty' : head}); pass the position a write returned`,
        },
        request.url,
      );
    // An asOf read answers from what the ledger had then: there is nothing newer to wait for.
    if (asOf) return;
    if (await deps.runner.waitFor(target, deps.readYourWritesTimeoutMs ?? 2000)) return;
    reply.header('retry-after', '1');
    return sendProblem(
      reply,
      {
        status: 503,
        code: 'read-model-behind',
        title: 'The read models have not caught up yet',
        detail: `The read models are at position ${deps.runner.position()}; position ${target} is not applied yet. Retry shortly.`,
        position: String(deps.runner.position()),
      },
      request.url,
    );
  });
};
