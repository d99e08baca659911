import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { collect } from '../support/collect.ts';
import type { Ack } from '../support/crash-writer.ts';
import { makeEvents } from '../support/events.ts';
import { makeTempDir } from '../support/temp-dir.ts';

/** Map.groupBy is Node 21+. */
const groupBy = <T>(items: T[], key: (item: T) => string): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
};

const writer = fileURLToPath(new URL('../support/crash-writer.ts', import.meta.url));

/** Runs the writer until it has acknowledged `target` appends, then SIGKILLs it; returns every ack it printed. */
const runAndKill = async (file: string, target: number, run: number): Promise<Ack[]> => {
  const child = spawn(process.execPath, ['--import', 'tsx', writer, file, '16', String(run)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const acks: Ack[] = [];
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    acks.push(JSON.parse(line) as Ack);
    if (acks.length === target) child.kill('SIGKILL');
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('close', (c, s) => resolve([c, s])),
  );
  if (signal !== 'SIGKILL') throw new Error(`writer exited early (code ${code}): ${stderr}`);
  return acks;
};

describe('crash safety', () => {
  const dir = makeTempDir('ledger-crash-');
  const allAcks: Ack[] = [];
  afterAll(() => dir.remove());

  // Three rounds on the same file: the later writers start from a ledger recovered after a crash.
  it.each([1, 2, 3])('keeps every acknowledged append, gap-free and consistent, after SIGKILL number %i', async (round) => {
    const file = dir.file('crash.db');
    const acks = await runAndKill(file, 400, round);
    allAcks.push(...acks);
    expect(acks.length).toBeGreaterThanOrEqual(400);

    const raw = new Database(file);
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();

    const store = openSqliteEventStore({ file });
    try {
      const all = await collect(store.readAll());
      // Gap-free from 0 to head, and count/head agree with what is there.
      expect(all.map((e) => e.position)).toEqual(all.map((_, i) => BigInt(i)));
      expect(await store.count()).toBe(all.length);
      expect(await store.headPosition()).toBe(BigInt(all.length - 1));
      expect(new Set(all.map((e) => e.eventId)).size).toBe(all.length);

      // Every acknowledged append is there, at the position it was acknowledged with.
      for (const ack of allAcks) {
        const first = Number(ack.firstPosition);
        const events = all.slice(first, first + ack.events);
        expect(events.map((e) => [e.commandId, e.stream, e.position])).toEqual(
          events.map((_, i) => [ack.commandId, ack.stream, BigInt(first + i)]),
        );
        expect(events[events.length - 1]!.revision).toBe(BigInt(ack.nextExpectedRevision));
        expect((await store.findCommand(ack.commandId))?.firstPosition).toBe(BigInt(ack.firstPosition));
      }
      // Each loop's acks are in increasing position order.
      for (let loop = 0; loop < 16; loop++) {
        const positions = acks.filter((a) => a.loop === loop).map((a) => BigInt(a.firstPosition));
        expect(positions.every((p, i) => i === 0 || p > positions[i - 1]!)).toBe(true);
      }

      // No half-written command: each command's events are contiguous in one stream, and recorded once.
      const byCommand = groupBy(all, (e) => e.commandId);
      for (const [commandId, events] of byCommand) {
        const result = await store.findCommand(commandId);
        expect(result?.eventIds).toEqual(events.map((e) => e.eventId));
        expect(result).toBeDefined();
        expect(events.map((e) => [e.stream, e.position])).toEqual(
          events.map((_, i) => [result!.stream, result!.firstPosition + BigInt(i)]),
        );
      }
      // Every stream's revisions are contiguous from 0.
      for (const [, events] of groupBy(all, (e) => e.stream)) {
        expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => BigInt(i)));
      }

      // And the recovered ledger carries on where it stopped.
      const commandId = `after-${round}`;
      const events = makeEvents(1, commandId);
      const next = await store.append({ stream: commandId, events, expectedRevision: 'noStream', commandId });
      expect(next.firstPosition).toBe(BigInt(all.length));
    } finally {
      await store.close();
    }
  });
});
