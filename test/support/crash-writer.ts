/**
 * Child process for test/store/crash.test.ts: appends under concurrent load until killed.
 * Usage: node --import tsx test/support/crash-writer.ts <ledger file> [loops] [run]
 * (run keeps command ids unique when the same ledger is crashed and restarted again)
 *
 * Prints one JSON line per append only after its promise resolved (i.e. after COMMIT),
 * so every line the parent reads is an acknowledged, supposedly durable, append.
 */
import type { ExpectedRevision } from '../../src/store/port.ts';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { makeEvents } from './events.ts';

export interface Ack {
  loop: number;
  commandId: string;
  stream: string;
  events: number;
  firstPosition: string;
  lastPosition: string;
  nextExpectedRevision: string;
}

const [file, loopsArg, runArg] = process.argv.slice(2);
if (!file) throw new Error('usage: crash-writer.ts <ledger file> [loops] [run]');
const loops = Number(loopsArg ?? 16);
const run = runArg ?? '0';
const store = openSqliteEventStore({ file });

const runLoop = async (loop: number): Promise<never> => {
  const revisions = new Map<string, bigint>();
  // After a crash the loop's streams already exist: carry on from what the ledger holds.
  for (let k = 0; k < 3; k++) {
    const revision = await store.streamRevision(`loop-${loop}-${k}`);
    if (revision !== undefined) revisions.set(`loop-${loop}-${k}`, revision);
  }
  for (let i = 0; ; i++) {
    const commandId = `cmd-${run}-${loop}-${i}`;
    // Mostly this loop's own streams with exact revisions; every fourth append goes to a
    // stream all loops share, with 'any' and two events, so batches mix both kinds.
    const shared = i % 4 === 3;
    const stream = shared ? `shared-${i % 2}` : `loop-${loop}-${i % 3}`;
    const expectedRevision: ExpectedRevision = shared ? 'any' : (revisions.get(stream) ?? 'noStream');
    const events = makeEvents(shared ? 2 : 1, commandId);
    const result = await store.append({ stream, events, expectedRevision, commandId });
    if (!shared) revisions.set(stream, result.nextExpectedRevision);
    const ack: Ack = {
      loop,
      commandId,
      stream,
      events: events.length,
      firstPosition: String(result.firstPosition),
      lastPosition: String(result.lastPosition),
      nextExpectedRevision: String(result.nextExpectedRevision),
    };
    // Writes to a pipe are synchronous on Linux: the line is in the pipe before the next append.
    process.stdout.write(`${JSON.stringify(ack)}\n`);
  }
};

try {
  await Promise.all(Array.from({ length: loops }, (_, loop) => runLoop(loop)));
} catch (error) {
  console.error(error);
  process.exit(1);
}
