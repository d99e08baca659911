import { describe, expect, it } from 'vitest';
import { fromHex, leafHash } from '../../../src/integrity/merkle.ts';
import { CompactRange, foldSubtrees } from '../../../src/integrity/merkle-proofs.ts';
import { collect } from '../../support/collect.ts';
import { makeEvent, uniqueId } from '../../support/events.ts';
import type { IntegrityContractContext } from './contract.ts';
import { seedStreams, threeStreams } from './seed.ts';

export const verificationContract = ({ ports }: IntegrityContractContext): void => {
  describe("the backend's part of verify", () => {
    it('gives one view: its size, its checkpoints and its streams', async () => {
      const { events, integrity } = ports();
      await seedStreams(events, threeStreams(), 2);
      const view = await integrity.verification(async (v) => ({
        size: v.size,
        checkpoints: v.checkpoints,
        streams: await v.streamCount(),
      }));
      expect(view).toEqual({ size: 12n, checkpoints: [], streams: 3n });
    });

    it('either records a command stamped before the ledger time at the ledger time, or keeps its stamp and says so', async () => {
      const { events, integrity } = ports();
      const append = (stream: string, recordedAt: string) => {
        const commandId = uniqueId('c');
        return events.append({ stream, events: [makeEvent({ commandId, recordedAt })], expectedRevision: 'noStream', commandId });
      };
      await append(uniqueId('plan-a'), '2026-03-01T10:05:00.000Z');
      // Stamped five minutes before the event ahead of it: a command that waited, or an instance whose clock is behind.
      const late = await append(uniqueId('plan-b'), '2026-03-01T10:00:00.000Z');
      const { kept, clock } = await integrity.verification(async (view) => ({
        kept: view.stampsKept,
        clock: (await view.checkChains({ size: view.size, checkpointSizes: [], workers: 1 }))[0]!.clock,
      }));
      const [stored] = await collect(events.readAll({ fromPosition: late.firstPosition }));
      if (kept) {
        expect(stored!.recordedAt).toBe('2026-03-01T10:00:00.000Z');
        expect(clock.stepsBack).toBe(1);
      } else {
        expect(stored!.recordedAt).toBe('2026-03-01T10:05:00.000Z');
        expect(clock.stepsBack).toBe(0);
      }
      // Either way an asOf reads it at the ledger time.
      expect(await events.positionAt('2026-03-01T10:04:59.999Z')).toBeUndefined();
      expect(await events.positionAt('2026-03-01T10:05:00.000Z')).toBe(late.firstPosition);
    });

    it("runs the backend's own checks on the view's events and finds nothing wrong in a sound ledger", async () => {
      const { events, integrity } = ports();
      await seedStreams(events, threeStreams(), 2);
      const report = await integrity.verification((view) => view.backendChecks({ size: view.size, storage: 'quick' }));
      expect(report.storage).toBeUndefined();
      expect(report.records).toBeUndefined();
      expect(Array.isArray(report.checked)).toBe(true);
    });

    it.each([1, 2])(
      'checks every chain link in slices that together cover the ledger and join into its tree (%i thread(s) asked for)',
      async (workers) => {
        const { events, integrity } = ports();
        await seedStreams(events, threeStreams(), 4);
        const leaves = (await collect(events.readAll())).map((e) => leafHash(fromHex(e.hash)));
        const whole = new CompactRange();
        for (const leaf of leaves) whole.push(leaf);
        const progress: number[] = [];
        const results = await integrity.verification((view) =>
          view.checkChains({ size: view.size, checkpointSizes: [5n, 24n], workers, onProgress: (checked) => progress.push(checked) }),
        );
        expect(results.every((r) => r.failure === undefined)).toBe(true);
        expect(results.reduce((sum, r) => sum + r.eventsChecked, 0)).toBe(24);
        // Each slice starts where the one before it ended.
        let next = 0n;
        const before = new CompactRange();
        for (const [i, result] of results.entries()) {
          expect(result.from).toBe(next);
          next += BigInt(result.eventsChecked);
          const end = result.frontiers.at(-1)!.subtrees;
          if (i < results.length - 1) before.push(foldSubtrees(end));
          else expect(foldSubtrees([...before.subtrees(), ...end])).toEqual(whole.root());
        }
        expect(progress.at(-1)).toBe(24);
      },
      30_000,
    );
  });
};
