import { AccessDeniedError, convertToCommandError, KurrentDBClient, UnsupportedError } from '@kurrent/kurrentdb-client';
import { backoffDelay, sleep } from './backoff.ts';
import { isUnreachable, wrongExpectedVersion } from './engine-errors.ts';
import { ledgerNames } from './stream-names.ts';

/** The client could not be made, or the engine did not answer as the ledger needs; the message is one line for the operator. */
export class EngineUnreachable extends Error {}

/**
 * The hosts a connection string names, without scheme, credentials or options: what messages
 * and logs may show (`kurrentdb://admin:changeit@db1:2113,db2:2113?tls=true` → `db1:2113,db2:2113`).
 */
export const engineAddress = (connectionString: string): string =>
  connectionString
    .replace(/^[a-z+]+:\/\//i, '')
    .replace(/^[^@/?]*@/, '')
    .replace(/[/?].*$/, '');

/**
 * The ledger's own option in a KurrentDB connection string, taken out before the client sees it:
 * `ledgerNamespace=<name>` keeps several ledgers apart on one engine (default `ledger`, see
 * stream-names.ts). Everything else is the client's.
 */
export const splitConnectionString = (connectionString: string): { client: string; namespace: string | undefined } => {
  const [base, query] = connectionString.split('?', 2) as [string, string | undefined];
  if (query === undefined) return { client: connectionString, namespace: undefined };
  const params = query.split('&').filter((p) => p.length > 0);
  const ours = params.filter((p) => p.toLowerCase().startsWith('ledgernamespace='));
  const rest = params.filter((p) => !ours.includes(p));
  const namespace = ours.length > 0 ? decodeURIComponent(ours[ours.length - 1]!.slice('ledgerNamespace='.length)) : undefined;
  return { client: rest.length > 0 ? `${base}?${rest.join('&')}` : base, namespace };
};

/** A stream the probe names with a revision no stream reaches: the engine refuses it and writes nothing. */
const PROBE_STREAM = ledgerNames().startupProbe;
const UNREACHABLE_REVISION = BigInt(Number.MAX_SAFE_INTEGER);

const timeout = (ms: number) =>
  new Promise<never>((_, reject) =>
    setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms} ms`), { code: 4 })), ms).unref(),
  );

/**
 * Connects to KurrentDB and proves the engine can serve the ledger before anything else runs:
 * a multi-stream append that expects a revision no stream has. A reachable leader of KurrentDB
 * 25.1 or later refuses it (and writes nothing); an older server says it cannot do multi-stream
 * appends; wrong credentials are refused. An engine that does not answer is tried again with
 * backoff until `withinMs`, then the start-up fails with one line naming the address.
 */
export const connectKurrentDB = async (connectionString: string, withinMs = 10_000): Promise<KurrentDBClient> => {
  const address = engineAddress(connectionString);
  let client: KurrentDBClient;
  try {
    client = KurrentDBClient.connectionString(connectionString);
  } catch (error) {
    throw new EngineUnreachable(`LEDGER_STORE is not a KurrentDB connection string the client accepts (${(error as Error).message})`);
  }
  const deadline = Date.now() + withinMs;
  const giveUp = async (message: string): Promise<never> => {
    await Promise.race([client.dispose(), sleep(1000)]).catch(() => undefined);
    throw new EngineUnreachable(message);
  };
  let last: unknown;
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    try {
      const probe = {
        id: crypto.randomUUID(),
        contentType: 'application/json' as const,
        type: 'LedgerStartupProbe',
        data: {},
        metadata: undefined,
      };
      await Promise.race([
        client.multiStreamAppend([{ streamName: PROBE_STREAM, events: [probe], expectedState: UNREACHABLE_REVISION }]),
        timeout(Math.max(500, Math.min(3000, deadline - Date.now()))),
      ]);
      return client; // Accepted after all (someone wrote that far): the engine answers, which is all the probe asks.
    } catch (thrown) {
      const error = thrown instanceof Error ? convertToCommandError(thrown) : thrown;
      if (wrongExpectedVersion(error)) return client;
      if (error instanceof UnsupportedError)
        return giveUp(
          `KurrentDB at ${address} cannot hold the ledger: it needs KurrentDB ${error.minimumVersion} or later (multi-stream appends)`,
        );
      if (error instanceof AccessDeniedError)
        return giveUp(
          `KurrentDB at ${address} refused the credentials in LEDGER_STORE: the ledger needs a user that may read and write its streams`,
        );
      if (!isUnreachable(error)) return giveUp(`KurrentDB at ${address} failed the start-up check: ${(error as Error).message}`);
      last = error;
    }
    await sleep(Math.min(backoffDelay(attempt, 250, 2000), Math.max(0, deadline - Date.now())));
  }
  const why = last instanceof Error ? last.message.split('\n')[0]!.slice(0, 160) : 'no answer';
  return giveUp(
    `cannot reach KurrentDB at ${address} within ${Math.round(withinMs / 1000)} s (${why}); is it running, and is LEDGER_STORE right?`,
  );
};
