import type { RecordedEvent } from '@kurrent/kurrentdb-client';
import { z } from 'zod';
import type { Engine } from '../../store/kurrentdb/engine-client.ts';
import { translateEngineError, wrongExpectedVersion } from '../../store/kurrentdb/engine-errors.ts';
import { openMetaStream } from '../../store/kurrentdb/meta-stream.ts';
import type { OperationRun, OperationsStore } from '../port.ts';

const Run = z.object({
  kind: z.enum(['backup', 'verify']),
  startedAt: z.string(),
  finishedAt: z.string(),
  ok: z.boolean(),
  detail: z.string(),
  by: z.string(),
  bytes: z.number().optional(),
  location: z.string().optional(),
});

const decode = (record: RecordedEvent): OperationRun => {
  const parsed = Run.safeParse(record.data);
  if (record.type !== 'OperationRun' || !parsed.success)
    throw new Error(`event ${record.id} in ${record.streamId} is not an operation run`);
  return parsed.data;
};

/**
 * The operations store in the engine: run outcomes in `ledger-meta:operations` (mirrored in
 * memory, read on from where it was each time), and each scheduled occurrence's claim as the
 * first event of a stream of its own, appended with expected state "no stream": the engine lets
 * exactly one instance's append through, and every other gets "wrong expected version".
 */
export const openOperationStreams = ({ client, address, names }: Engine, clock: () => Date = () => new Date()): OperationsStore => {
  const runs = openMetaStream({ client, address, stream: names.operations, decode });
  return {
    async claim(task, slot, holder) {
      try {
        await client.multiStreamAppend([
          {
            streamName: names.scheduleClaim(task, slot),
            expectedState: 'no_stream',
            events: [
              {
                id: crypto.randomUUID(),
                contentType: 'application/json',
                type: 'ScheduledRunClaimed',
                data: { task, slot, holder, claimedAt: clock().toISOString() },
                metadata: undefined,
              },
            ],
          },
        ]);
        return true;
      } catch (error) {
        if (wrongExpectedVersion(error)) return false;
        throw translateEngineError(error, address, `a claim of ${task} ${slot}`);
      }
    },
    record: (run) =>
      runs.update(() => ({
        events: [{ id: crypto.randomUUID(), contentType: 'application/json', type: 'OperationRun', data: { ...run }, metadata: undefined }],
        result: undefined,
      })),
    async latest(kind) {
      await runs.refresh();
      const items = runs.items();
      let last: OperationRun | undefined;
      let lastOk: OperationRun | undefined;
      for (let i = items.length - 1; i >= 0 && !(last && lastOk); i--) {
        const run = items[i]!;
        if (run.kind !== kind) continue;
        last ??= run;
        if (run.ok) lastOk ??= run;
      }
      return { last, lastOk };
    },
    close: () => runs.whenIdle(),
  };
};
