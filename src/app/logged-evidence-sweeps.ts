import type { Logger } from 'pino';
import type { Backend } from '../backend/backend.ts';
import type { EventStore } from '../store/port.ts';
import type { ReadModels } from '../../projections/read-models.ts';
import { evidenceFilesProjection } from '../../projections/evidence-files/projection.ts';
import { sweepViews } from '../evidence/sweep-views.ts';
import { startEvidenceSweeps, SweepStopped } from '../evidence/sweep-evidence.ts';

/**
 * The evidence sweeps as the service runs them (src/evidence/sweep-evidence.ts), reported in the log:
 * a sweep that removed files names them; a failed one is logged, and the next sweep tries again.
 */
export const startLoggedEvidenceSweeps = ({
  backend,
  store,
  readModels,
  graceMs,
  logger,
}: {
  backend: Backend;
  store: EventStore;
  readModels: ReadModels;
  graceMs: number;
  logger: Logger;
}) =>
  startEvidenceSweeps(
    {
      blobs: backend.blobs,
      index: readModels.evidenceFiles,
      ...sweepViews(store, readModels.runner, readModels.readStore, evidenceFilesProjection),
      graceMs,
    },
    {
      swept: (r) => {
        if (r.removed.length + r.erasedRemoved.length + r.abandonedStaged > 0)
          logger.info(
            {
              unreferenced: r.removed,
              erased: r.erasedRemoved,
              abandonedUploads: r.abandonedStaged,
              evidence: backend.blobs.description,
            },
            'evidence sweep removed files',
          );
      },
      failed: (error) =>
        error instanceof SweepStopped ? logger.warn(error.message) : logger.error({ err: error }, 'evidence sweep failed'),
    },
  );
