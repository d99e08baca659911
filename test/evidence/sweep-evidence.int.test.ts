import { Readable } from 'node:stream';
import { describe, expect, it, onTestFinished } from 'vitest';
import { evidenceFilesProjection } from '../../projections/evidence-files/projection.ts';
import { openReadStore } from '../../projections/runner/sqlite/read-store.ts';
import { sweepEvidence, SweepStopped, type EvidenceSweepDeps } from '../../src/evidence/sweep-evidence.ts';
import { sweepViews } from '../../src/evidence/sweep-views.ts';
import { seedDorsetPlan, useSecuredLedger, type SecuredLedger } from '../support/access.ts';
import { collect } from '../support/collect.ts';
import * as sample from './sample-files.ts';

const open = useSecuredLedger();

const attach = async (ledger: SecuredLedger, key: string, content: Buffer) => {
  const body = await sample.multipart({ content, name: 'evidence.pdf' });
  const res = await ledger.call(key, { method: 'POST', url: '/plans/dorset/actions/1.3/evidence-files', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().file.sha256 as string;
};

const sweep = (ledger: SecuredLedger, now: Date) =>
  sweepEvidence({
    blobs: ledger.blobs,
    index: ledger.readModels.evidenceFiles,
    catchUp: async () => ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 2000),
    graceMs: 60 * 60_000,
    clock: () => now,
  });

/**
 * A ledger with one referenced evidence file, whose runner has folded everything and folds no
 * more (the index stays as another process leaves it), beside another process's connection to
 * its read store, which resets the index as a rebuild or a newer release starting would.
 * `sweepLater` sweeps two hours on, past the grace period, with this instance's views.
 */
const beside = async () => {
  const ledger = await open();
  const { manager } = await seedDorsetPlan(ledger);
  const referenced = await attach(ledger, manager, sample.pdf('kept'));
  expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
  await ledger.readModels.runner.stop();
  const other = openReadStore(ledger.readModels.readStore.file);
  onTestFinished(() => other.close());
  return {
    ledger,
    views: sweepViews(ledger.store, ledger.readModels.runner, ledger.readModels.readStore, evidenceFilesProjection),
    resetIndex: () => other.reset(evidenceFilesProjection.name, evidenceFilesProjection.version),
    sweepLater: (deps: Pick<EvidenceSweepDeps, 'catchUp'> & Partial<EvidenceSweepDeps>) =>
      sweepEvidence({
        blobs: ledger.blobs,
        index: ledger.readModels.evidenceFiles,
        graceMs: 60 * 60_000,
        clock: () => new Date(Date.now() + 2 * 60 * 60_000),
        ...deps,
      }),
    stillKept: async () => expect((await collect(ledger.blobs.list())).map((b) => b.sha256)).toEqual([referenced]),
  };
};

describe('sweeping the evidence store', () => {
  it('removes files no event references once past the grace period, erased content at once, and keeps referenced files', async () => {
    const ledger = await open();
    const { manager } = await seedDorsetPlan(ledger);
    const referenced = await attach(ledger, manager, sample.pdf('kept'));
    const erased = await attach(ledger, manager, sample.pdf('erased'));
    const erasure = await ledger.call(manager, {
      method: 'POST',
      url: `/plans/dorset/evidence-files/${erased}/erasure`,
      payload: { reason: 'Names a patient' },
    });
    expect(erasure.statusCode).toBe(201);
    // A crash between the erasure's event and the file's removal: the file is still there.
    await ledger.blobs.restore(erased, Readable.from([sample.pdf('erased')]));
    // A crash between storing an upload's file and appending its event: stored, referenced by nothing.
    const orphan = await ledger.blobs.stage(Readable.from([sample.pdf('orphan')]), { maxBytes: 1 << 20 });
    await orphan.commit();

    const soon = await sweep(ledger, new Date());
    expect(soon).toMatchObject({ removed: [], erasedRemoved: [erased] });
    expect((await collect(ledger.blobs.list())).map((b) => b.sha256).sort()).toEqual([referenced, orphan.sha256].sort());

    const later = await sweep(ledger, new Date(Date.now() + 2 * 60 * 60_000));
    expect(later).toMatchObject({ removed: [orphan.sha256], erasedRemoved: [] });
    expect((await collect(ledger.blobs.list())).map((b) => b.sha256)).toEqual([referenced]);
  });

  it('stops, removing no file it has not judged, when another process resets the evidence index during the sweep', async () => {
    const { views, resetIndex, sweepLater, stillKept } = await beside();
    const sweeping = sweepLater({
      // Caught up, then the index is reset by another process (a newer release starting): it names no file until rebuilt.
      catchUp: async () => {
        const caughtUp = await views.catchUp();
        resetIndex();
        return caughtUp;
      },
      viewsStand: views.viewsStand,
    });
    await expect(sweeping).rejects.toBeInstanceOf(SweepStopped);
    await stillKept();
  });

  it('does not sweep while another process has the evidence index reset and not yet rebuilt', async () => {
    const { views, resetIndex, sweepLater, stillKept } = await beside();
    // A rebuild under way in another process: the index is reset, and this process's runner does not know.
    resetIndex();
    expect(await sweepLater(views)).toBeUndefined();
    await stillKept();
  });

  it('keeps a file whose judgement a reset of the index fell within', async () => {
    const { ledger, views, resetIndex, sweepLater, stillKept } = await beside();
    const index = ledger.readModels.evidenceFiles;
    const swept = sweepLater({
      ...views,
      // Another process resets the index while this one reads whether the file is referenced.
      index: {
        ...index,
        isLive: (sha256) => {
          resetIndex();
          return index.isLive(sha256);
        },
      },
    });
    await expect(swept).rejects.toBeInstanceOf(SweepStopped);
    await stillKept();
  });
});
