import { KurrentDBClient, UnsupportedError } from '@kurrent/kurrentdb-client';
import { backoffDelay, sleep } from './backoff.ts';
import type { EngineClient } from './engine-client.ts';
import { isAccessDenied, isTransient, wrongExpectedVersion } from './engine-errors.ts';
import { leaderFollowingClient } from './leader-following-client.ts';
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

/** The first release whose multi-stream appends the ledger can rely on. */
const MINIMUM_VERSION = [25, 1, 1] as const;

/**
 * Why the ledger cannot run on an engine reporting `version`, or undefined when it can (or the
 * version is not known: a server that does not say, or a development build numbered 0.x).
 * Multi-stream appends arrived in 25.1.0, but 25.1.1 fixed two of their faults that touch the
 * ledger (KurrentDB docs/server/release-schedule/release-notes.md, 25.1.1): a stream created
 * by a multi-stream append could look missing after a restart (PR 5376), so a second command
 * marker or a second revision 0 could be written; and an append that completes a chunk could
 * report wrong revisions (PR 5362).
 */
export const engineVersionProblem = (version: string | undefined): string | undefined => {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version ?? '');
  if (!match || Number(match[1]) === 0) return undefined;
  const parts = match.slice(1, 4).map(Number);
  const older = parts.findIndex((part, i) => part !== MINIMUM_VERSION[i]);
  if (older === -1 || parts[older]! > MINIMUM_VERSION[older]!) return undefined;
  return (
    `it is KurrentDB ${match[0]}, and the ledger needs ${MINIMUM_VERSION.join('.')} or later ` +
    `(before it, a stream created by a multi-stream append could look missing after a restart)`
  );
};

/**
 * The version the server reported when the client asked what it supports (it asks before the
 * first multi-stream append). The client keeps it behind a getter its types mark protected
 * (dist/Client/index.d.ts: `protected get capabilities(): Promise<ServerFeatures>`), the only
 * place it is exposed; undefined if that ever changes, and then no version is enforced.
 */
const serverVersion = async (client: KurrentDBClient): Promise<string | undefined> => {
  try {
    const features = await (client as unknown as { capabilities: Promise<{ serverVersion?: unknown }> }).capabilities;
    return typeof features?.serverVersion === 'string' ? features.serverVersion : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Connects to KurrentDB and proves the engine can serve the ledger before anything else runs:
 * a multi-stream append that expects a revision no stream has. A reachable leader of KurrentDB
 * 25.1 or later refuses it (and writes nothing); an older server says it cannot do multi-stream
 * appends; wrong credentials or missing rights are refused; 25.1.0 is refused by its version.
 * An engine that does not answer is tried again with backoff until `withinMs`, then the
 * start-up fails with one line naming the address. The client returned follows the leader of
 * a cluster after an election (leader-following-client.ts).
 */
export const connectKurrentDB = async (connectionString: string, withinMs = 10_000): Promise<EngineClient> => {
  const address = engineAddress(connectionString);
  const open = () => KurrentDBClient.connectionString(connectionString);
  let client: KurrentDBClient;
  try {
    client = open();
  } catch (error) {
    throw new EngineUnreachable(`LEDGER_STORE is not a KurrentDB connection string the client accepts (${(error as Error).message})`);
  }
  const deadline = Date.now() + withinMs;
  const giveUp = async (message: string): Promise<never> => {
    await Promise.race([client.dispose(), sleep(1000)]).catch(() => undefined);
    throw new EngineUnreachable(message);
  };
  /** The engine answered the probe: it is reachable; now its version must do. */
  const answered = async (): Promise<EngineClient> => {
    const problem = engineVersionProblem(await Promise.race([serverVersion(client), sleep(1000).then(() => undefined)]));
    if (problem) return giveUp(`KurrentDB at ${address} cannot hold the ledger: ${problem}`);
    return leaderFollowingClient(open, client);
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
      return await answered(); // Accepted after all (someone wrote that far): the engine answers, which is all the probe asks.
    } catch (thrown) {
      if (thrown instanceof EngineUnreachable) throw thrown;
      const error = thrown;
      if (wrongExpectedVersion(error)) return answered();
      if (error instanceof UnsupportedError)
        return giveUp(
          `KurrentDB at ${address} cannot hold the ledger: it needs KurrentDB ${error.minimumVersion} or later (multi-stream appends)`,
        );
      if (isAccessDenied(error))
        return giveUp(
          `KurrentDB at ${address} refused the credentials in LEDGER_STORE: the ledger needs a user that may read and write its streams`,
        );
      // Anything but "no answer (yet)" is an answer: saying it at once beats retrying until the deadline.
      if (!isTransient(error)) return giveUp(`KurrentDB at ${address} failed the start-up check: ${(error as Error).message}`);
      last = error;
    }
    await sleep(Math.min(backoffDelay(attempt, 250, 2000), Math.max(0, deadline - Date.now())));
  }
  const why = last instanceof Error ? last.message.split('\n')[0]!.slice(0, 160) : 'no answer';
  return giveUp(
    `cannot reach KurrentDB at ${address} within ${Math.round(withinMs / 1000)} s (${why}); is it running, and is LEDGER_STORE right?`,
  );
};
