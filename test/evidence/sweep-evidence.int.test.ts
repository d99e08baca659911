import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { sweepEvidence } from '../../src/evidence/sweep-evidence.ts';
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
});
