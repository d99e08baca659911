import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openBackend } from '../../src/backend/open-backend.ts';
import { verifyEvidenceFiles } from '../../src/evidence/verify-evidence-files.ts';
import { seedDorsetPlan, useSecuredLedger, type SecuredLedger } from '../support/access.ts';
import * as sample from '../evidence/sample-files.ts';

const open = useSecuredLedger();
const run = promisify(execFile);
const copy = (from: string, to: string) =>
  run(process.execPath, [path.resolve('bin/ledger.js'), 'copy', '--no-progress', '--from', from, '--to', to], {
    env: { ...process.env, LOG_LEVEL: 'silent' },
  }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );

const attach = async (ledger: SecuredLedger, key: string, content: Buffer, name: string) => {
  const body = await sample.multipart({ content, name, type: name.endsWith('.csv') ? 'text/csv' : 'application/octet-stream' });
  const res = await ledger.call(key, { method: 'POST', url: '/plans/dorset/actions/1.3/evidence-files', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().file.sha256 as string;
};
const blobFile = (dataDir: string, sha256: string) => path.join(dataDir, 'evidence', 'sha256', sha256.slice(0, 2), sha256);

describe('ledger copy carries the evidence files', () => {
  it('copies every file the events attach and not the erased ones, refuses an altered source file, and resumes', async () => {
    const ledger = await open();
    const { manager } = await seedDorsetPlan(ledger);
    const pdf = await attach(ledger, manager, sample.pdf('Ratified policy'), 'policy.pdf');
    const csv = await attach(ledger, manager, sample.csv(), 'audit.csv');
    const png = await attach(ledger, manager, sample.png(4), 'photo.png');
    const erased = await ledger.call(manager, {
      method: 'POST',
      url: `/plans/dorset/evidence-files/${png}/erasure`,
      payload: { reason: 'A patient' },
    });
    expect(erased.statusCode).toBe(201);
    await ledger.ledger.checkpointNow();
    const target = path.join(ledger.dataDir, '..', `${path.basename(ledger.dataDir)}-copy`);
    try {
      fs.writeFileSync(blobFile(ledger.dataDir, csv), 'ref,status\n1.3,forged\n');
      const refused = await copy(ledger.dataDir, target);
      expect(refused.code, refused.out).toBe(1);
      expect(refused.out).toContain(`evidence file ${csv} in the source's store was altered`);

      fs.writeFileSync(blobFile(ledger.dataDir, csv), sample.csv());
      const copied = await copy(ledger.dataDir, target);
      expect(copied.code, copied.out).toBe(0);
      expect(copied.out).toMatch(/evidence files: 1 files \(0\.0 MB\) copied, 1 already there, all 2 in the target/);
      const backend = await openBackend({ store: { kind: 'sqlite' }, dataDir: target }, { create: false });
      try {
        expect(await backend.blobs.stat(pdf)).toBeDefined();
        expect(await backend.blobs.stat(png)).toBeUndefined();
        const report = await verifyEvidenceFiles(backend.events, backend.blobs);
        expect(report).toMatchObject({ ok: true, filesReferenced: 3, filesChecked: 2, failures: [] });
      } finally {
        await backend.close();
      }
    } finally {
      fs.rmSync(target, { recursive: true, force: true });
    }
  }, 120_000);
});
