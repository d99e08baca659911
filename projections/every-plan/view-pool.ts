import { Worker } from 'node:worker_threads';
import type { OrganisationDirectory } from '../../src/organisations/organisation-directory.ts';
import type { HistoryPoint, PlanRange, ViewReply, ViewRequest, ViewWorkerSetup } from './view-protocol.ts';
import type { SplitViewName } from './split-views.ts';

/** What a worker made of its part of a read: the view over each chunk it claimed, or why the main thread must read it all. */
/** A worker's part, with the state of the history it read it at (history-store.ts, `readTogether`); or why there is none. */
export type PartAnswer = { parts: [chunk: number, answer: unknown][]; state: string } | { fold: true } | { failed: string };

export interface ViewPool {
  /**
   * The workers ready to read a part each, starting them the first time (a read waits for that
   * once, a fraction of a second): none when they cannot start or the pool is closed.
   */
  ready(): Promise<number>;
  /**
   * One worker's part of a view: the view over each of the chunks it claims (claims.ts), with `args`
   * from the last back to `first`, with `beforeArgs` before `first`.
   */
  part(
    worker: number,
    view: SplitViewName,
    args: { args: unknown; beforeArgs: unknown },
    point: HistoryPoint,
    chunks: { ranges: PlanRange[]; first: number; claims: SharedArrayBuffer },
    names: OrganisationDirectory,
  ): Promise<PartAnswer>;
  /** How many chunks the workers have read since the pool was made. */
  chunksRead(): number;
  /** The workers configured and those running now, and how many times one failed since the pool was made (/metrics). */
  state(): { configured: number; running: number; failures: number };
  close(): Promise<void>;
}

/** Ids for tables of names, so each is sent to a worker once: a table never changes once made (organisation-directory.ts). */
const tableIds = new WeakMap<OrganisationDirectory, number>();
let lastTableId = 0;
const tableId = (table: OrganisationDirectory) => {
  let id = tableIds.get(table);
  if (id === undefined) tableIds.set(table, (id = ++lastTableId));
  return id;
};

interface Running {
  worker: Worker;
  online: Promise<boolean>;
  pending: Map<number, (reply: PartAnswer) => void>;
  /** The table of names this worker has. */
  names: number | undefined;
  alive: boolean;
}

/**
 * Threads that each read part of a view over every plan on their own connection to the read
 * store (view-worker.ts), while the main thread reads its own chunks (split-read.ts): a helper of
 * this process, holding nothing another instance needs. A read never fails for a worker: when
 * one fails, its read is read on the main thread, as are the reads of the next minute, and then
 * a new worker is started.
 */
export const createViewPool = ({
  readStoreFile,
  workers,
  onError = (error) => console.error('view worker failed', error),
  restartAfterMs = 60_000,
  answerWithinMs = 30_000,
}: {
  readStoreFile: string;
  workers: number;
  onError?: ((error: unknown) => void) | undefined;
  /** How long after a worker failed before one is started again (its parts are read on the main thread meanwhile). */
  restartAfterMs?: number;
  /** How long a worker may take over its part before it is stopped as hung and the read is read on the main thread. */
  answerWithinMs?: number;
}): ViewPool => {
  const entry = new URL('../../src/typescript-worker-entry.mjs', import.meta.url);
  const setup: ViewWorkerSetup = { module: new URL('./view-worker.ts', import.meta.url).href, readStoreFile };
  const running: (Running | undefined)[] = new Array<Running | undefined>(workers).fill(undefined);
  let closed = false;
  let nextId = 0;
  let chunksRead = 0;
  let failures = 0;
  const failed = (error: unknown) => {
    failures++;
    onError(error);
  };
  /** When a worker last failed: none is started again for a while, so a worker that cannot start does not slow every read. */
  let failedAt = Number.NEGATIVE_INFINITY;

  const stopped = (run: Running, why: string) => {
    if (run.alive && !closed) failedAt = Date.now();
    run.alive = false;
    for (const reply of run.pending.values()) reply({ failed: why });
    run.pending.clear();
  };

  const start = (index: number): Running => {
    const worker = new Worker(entry, { workerData: setup });
    const run: Running = { worker, online: Promise.resolve(false), pending: new Map(), names: undefined, alive: true };
    let isReady: (ready: boolean) => void = () => {};
    run.online = new Promise<boolean>((resolve) => {
      isReady = resolve;
      worker.once('error', () => resolve(false));
      worker.once('exit', () => resolve(false));
    });
    worker.on('message', (reply: ViewReply) => {
      if ('ready' in reply) return isReady(true);
      const settle = run.pending.get(reply.id);
      run.pending.delete(reply.id);
      if (run.pending.size === 0) worker.unref();
      if (!settle) return;
      if ('lacksNames' in reply) settle({ failed: 'the worker lacks the table of names' });
      else if ('failed' in reply) {
        // A reset of the history under the read is the read's to answer; anything else is the worker's fault, said so.
        if (!reply.reset) failed(new Error(`a view worker could not read its part: ${reply.failed}`));
        settle({ failed: reply.failed });
      } else {
        const { id: _id, ...answer } = reply;
        if ('parts' in answer) chunksRead += answer.parts.length;
        settle(answer);
      }
    });
    worker.on('error', (error) => {
      failed(error);
      stopped(run, error instanceof Error ? error.message : String(error));
    });
    worker.on('exit', (code) => {
      if (running[index] === run) running[index] = undefined;
      stopped(run, `the worker stopped (exit code ${code})`);
    });
    // A worker waiting for reads does not keep the process alive; one starting or reading does.
    void run.online.then(() => run.pending.size === 0 && worker.unref());
    return run;
  };

  return {
    async ready() {
      if (closed) return 0;
      const dead = running.some((run) => !run?.alive);
      if (dead && Date.now() - failedAt < restartAfterMs) return 0;
      for (let i = 0; i < workers; i++) if (!running[i]?.alive) running[i] = start(i);
      const online = await Promise.all(running.map((run) => run!.online));
      return online.every(Boolean) && !closed ? workers : 0;
    },
    part(index, view, args, point, chunks, names) {
      const run = running[index];
      if (!run?.alive) return Promise.resolve({ failed: 'no worker' });
      const id = ++nextId;
      const table = tableId(names);
      const request: ViewRequest = {
        type: 'view',
        id,
        view,
        args: args.args,
        beforeArgs: args.beforeArgs,
        point,
        chunks: chunks.ranges,
        first: chunks.first,
        claims: chunks.claims,
        names: { id: table, entries: run.names === table ? undefined : names.entries() },
      };
      run.names = table;
      return new Promise<PartAnswer>((resolve) => {
        // A worker that does not answer in time is stopped: the read goes on without it, on the main thread.
        const hung = setTimeout(() => {
          if (!run.pending.has(id)) return;
          failed(new Error(`a view worker did not answer within ${answerWithinMs} ms: stopped`));
          stopped(run, 'no answer in time');
          void run.worker.terminate();
        }, answerWithinMs);
        hung.unref();
        run.pending.set(id, (answer) => {
          clearTimeout(hung);
          resolve(answer);
        });
        run.worker.ref();
        run.worker.postMessage(request);
      });
    },
    chunksRead: () => chunksRead,
    state: () => ({ configured: workers, running: running.filter((run) => run?.alive).length, failures }),
    async close() {
      closed = true;
      await Promise.all(
        running.map(async (run) => {
          if (!run) return;
          run.alive = false;
          await run.worker.terminate();
        }),
      );
    },
  };
};
