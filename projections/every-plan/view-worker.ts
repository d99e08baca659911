import { parentPort, workerData } from 'node:worker_threads';
import { createOrganisationDirectory, type OrganisationDirectory } from '../../src/organisations/organisation-directory.ts';
import { createHistoryReader } from '../history/history-reader.ts';
import { openHistoryOnReadConnection } from '../history/sqlite/history-store.ts';
import { HistoryChanged } from '../history/storage/history-changed.ts';
import { claimBefore, claimFromBack } from './claims.ts';
import { splitViews } from './split-views.ts';
import type { ViewReply, ViewRequest, ViewWorkerSetup } from './view-protocol.ts';

/**
 * A thread that reads part of a view over every plan (view-pool.ts): its own read-only connection
 * to the read store, with its own block directory and values kept (history-reader.ts), computing
 * the view over each chunk of plans it claims by the same function the main thread uses. It only
 * reads the history: a read with a plan to fold from the ledger is handed back.
 */
const setup = workerData as ViewWorkerSetup;
const store = openHistoryOnReadConnection(setup.readStoreFile).history;
const history = createHistoryReader(store);
/** The table of names last sent, by its id: the main thread sends a table's entries only until this thread has it. */
let names: { id: number; directory: OrganisationDirectory } | undefined;

const answer = (request: ViewRequest): ViewReply => {
  const { id, point } = request;
  if (request.names.entries) names = { id: request.names.id, directory: createOrganisationDirectory(request.names.entries) };
  if (names?.id !== request.names.id) return { id, lacksNames: true };
  // The args are the view's own (split-views.ts): they came from the main thread's call for this view.
  const view = splitViews[request.view] as { run(plans: unknown, args: unknown, directory: OrganisationDirectory): unknown };
  const parts: [number, unknown][] = [];
  const { chunks, first, claims } = request;
  const directory = names.directory;
  /** One chunk read into the parts; false when a plan of it must be folded from the ledger. */
  const read = (chunk: number, args: unknown) => {
    const { plans, toFold } = history.linesAt(point.clock, point.at, chunks[chunk]!, { generation: point.generation });
    if (toFold.length > 0) return false;
    parts.push([chunk, view.run(plans, args, directory)]);
    return true;
  };
  /** Every chunk this thread claims, in one read transaction (the main thread compares the state it saw); false on one to fold. */
  const readAll = () => {
    for (let chunk = claimFromBack(claims, chunks.length, first); chunk !== undefined; chunk = claimFromBack(claims, chunks.length, first))
      if (!read(chunk, request.args)) return false;
    for (let chunk = claimBefore(claims, first); chunk !== undefined; chunk = claimBefore(claims, first))
      if (!read(chunk, request.beforeArgs)) return false;
    return true;
  };
  try {
    const { state, value: answered } = store.readTogether(readAll);
    return answered ? { id, parts, state } : { id, fold: true };
  } catch (error) {
    // The main thread reads the view again on its own, and refuses it there if the history was reset under it.
    return { id, failed: error instanceof Error ? error.message : String(error), reset: error instanceof HistoryChanged };
  }
};

// The pool stops a worker by terminating it: a read-only connection has nothing to finish.
parentPort!.on('message', (request: ViewRequest) => parentPort!.postMessage(answer(request)));
// Ready once the read store is open: a worker that cannot open it fails before saying so.
parentPort!.postMessage({ ready: true } satisfies ViewReply);
