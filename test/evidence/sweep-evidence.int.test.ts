import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { evidenceFilesProjection } from '../../projections/evidence-files/projection.ts';
import { openReadStore } from '../../projections/runner/sqlite/read-store.ts';
import { sweepEvidence, SweepStopped } from '../../src/evidence/sweep-evidence.ts';
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
    const ledger = await open();
    const { manager } = await seedDorsetPlan(ledger);
    const referenced = await attach(ledger, manager, sample.pdf('kept'));
    const views = sweepViews(ledger.store, ledger.readModels.runner, ledger.readModels.readStore, evidenceFilesProjection);
    // This instance folds nothing more: the index stays as the other process leaves it, part-way through its rebuild.
    expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
    await ledger.readModels.runner.stop();
    const other = openReadStore(ledger.readModels.readStore.file);
    try {
      const sweeping = sweepEvidence({
        blobs: ledger.blobs,
        index: ledger.readModels.evidenceFiles,
        // Caught up, then the index is reset by another process (a newer release starting): it names no file until rebuilt.
        catchUp: async () => {
          const caughtUp = await views.catchUp();
          other.reset(evidenceFilesProjection.name, evidenceFilesProjection.version);
          return caughtUp;
        },
        viewsStand: views.viewsStand,
        graceMs: 60 * 60_000,
        clock: () => new Date(Date.now() + 2 * 60 * 60_000),
      });
      await expect(sweeping).rejects.toBeInstanceOf(SweepStopped);
      expect((await collect(ledger.blobs.list())).map((b) => b.sha256)).toEqual([referenced]);
    } finally {
      other.close();
    }
  });

  it('does not sweep while another process has the evidence index reset and not yet rebuilt', async () => {
    const ledger = await open();
    const { manager } = await seedDorsetPlan(ledger);
    const referenced = await attach(ledger, manager, sample.pdf('kept'));
    expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
    await ledger.readModels.runner.stop();
    const other = openReadStore(ledger.readModels.readStore.file);
    try {
      // A rebuild under way in another process: the index is reset, and this process's runner does not know.
      other.reset(evidenceFilesProjection.name, evidenceFilesProjection.version);
      const views = sweepViews(ledger.store, ledger.readModels.runner, ledger.readModels.readStore, evidenceFilesProjection);
      const swept = await sweepEvidence({
        blobs: ledger.blobs,
        index: ledger.readModels.evidenceFiles,
        ...views,
        graceMs: 60 * 60_000,
        clock: () => new Date(Date.now() + 2 * 60 * 60_000),
      });
      expect(swept).toBeUndefined();
      expect((await collect(ledger.blobs.list())).map((b) => b.sha256)).toEqual([referenced]);
    } finally {
      other.close();
    }
  });

  it('keeps a file whose judgement a reset of the index fell within', async () => {
    const ledger = await open();
    const { manager } = await seedDorsetPlan(ledger);
    const referenced = await attach(ledger, manager, sample.pdf('kept'));
    expect(await ledger.readModels.runner.waitFor((await ledger.store.headPosition())!, 5000)).toBe(true);
    await ledger.readModels.runner.stop();
    const other = openReadStore(ledger.readModels.readStore.file);
    const index = ledger.readModels.evidenceFiles;
    try {
      const swept = sweepEvidence({
        blobs: ledger.blobs,
        // Another process resets the index while this one reads whether the file is referenced.
        index: {
          ...index,
          isLive: (sha256) => {
            other.reset(evidenceFilesProjection.name, evidenceFilesProjection.version);
            return index.isLive(sha256);
          },
        },
        ...sweepViews(ledger.store, ledger.readModels.runner, ledger.readModels.readStore, evidenceFilesProjection),
        graceMs: 60 * 60_000,
        clock: () => new Date(Date.now() + 2 * 60 * 60_000),
      });
      await expect(swept).rejects.toBeInstanceOf(SweepStopped);
      expect((await collect(ledger.blobs.list())).map((b) => b.sha256)).toEqual([referenced]);
    } finally {
      other.close();
    }
  });
});
