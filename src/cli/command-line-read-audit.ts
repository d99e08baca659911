import { randomUUID } from 'node:crypto';
import type { AccessLog } from '../access/port.ts';
import { DomainError } from '../domain/errors.ts';
import { UnknownPlan } from '../integrity/errors.ts';
import { commandLinePrincipal, commandLineUser } from './command-line-user.ts';

/** A read refused with the status the API gives the same refusal (no such plan: 404), so the access log counts both alike. */
const refusalStatus = (error: unknown): number | undefined =>
  error instanceof DomainError ? error.status : error instanceof UnknownPlan ? 404 : undefined;

/**
 * The command as typed, each argument that is not plain (letters, digits and `@%+=:,./-_`) quoted as
 * JSON, so a space, a shell character or a control character reads unambiguously in the record.
 */
const commandLine = () =>
  ['ledger', ...process.argv.slice(2).map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : JSON.stringify(arg)))].join(' ');

/** A backend, whose access log is opened when first asked for. */
export interface WithAccessLog {
  readonly accessLog: AccessLog;
}

/** Thrown when a read could not be recorded: the command then writes nothing. */
export class ReadNotRecorded extends Error {}

/**
 * Reads of sensitive detail through the command line (a plan, its timelines and changes, a plan's
 * export, its evidence pack, its facts in the import format) go into the access log as the API's do
 * (src/access/http/read-audit.ts), so whoever asks the log who read a plan is told of every reader.
 * The record is committed before anything is written out, and a read that cannot be recorded is
 * not written at all. The command line has no key or token: it is named by the system user and
 * the machine it ran on (`cli:<user>@<host>`, as `ledger access-log archive` names who archived),
 * with no role or organisation; its `method` is `CLI` and its `route` the command (`ledger view
 * plan`), so its reads are found together. A refusal of the read itself (no such plan) is recorded
 * with the status the API gives it; an option refused before the ledger was read is not.
 */
const recordCommandLineRead = async (
  backend: WithAccessLog,
  read: { command: string; planId: string | null; status: number },
): Promise<void> => {
  const user = commandLineUser();
  try {
    // The log is opened on first use, inside the try: a log that cannot be opened is one that cannot record.
    await backend.accessLog.record({
      at: new Date().toISOString(),
      principalId: commandLinePrincipal(user),
      principalName: user,
      role: null,
      organisation: null,
      method: 'CLI',
      route: `ledger ${read.command}`,
      path: commandLine().slice(0, 2000),
      planId: read.planId?.slice(0, 200) ?? null,
      status: read.status,
      requestId: randomUUID(),
      ip: null,
    });
  } catch (error) {
    throw new ReadNotRecorded(`the read could not be recorded in the access log (${(error as Error).message})`, {
      cause: error,
    });
  }
};

/**
 * A read of one plan's detail, recorded: refused (with its status) or answered (200), the record
 * committed before the answer is handed back to be written out.
 */
export const auditedRead = async <T>(
  backend: WithAccessLog,
  read: { command: string; planId: string },
  answer: () => Promise<T>,
): Promise<T> => {
  let answered: T;
  try {
    answered = await answer();
  } catch (error) {
    const refused = refusalStatus(error);
    if (refused !== undefined) await recordCommandLineRead(backend, { ...read, status: refused });
    throw error;
  }
  await recordCommandLineRead(backend, { ...read, status: 200 });
  return answered;
};

/** What a command says when its read could not be recorded: one line, nothing written, exit 1. */
export const reportReadNotRecorded = (command: string, error: ReadNotRecorded): void => {
  console.error(`ledger ${command}: ${error.message}\nNothing was written.`);
  process.exitCode = 1;
};
