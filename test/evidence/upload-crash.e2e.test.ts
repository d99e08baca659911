import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { openBackend } from '../../src/backend/open-backend.ts';
import { verifyEvidenceFiles } from '../../src/evidence/verify-evidence-files.ts';
import { createKeyWithCli } from '../support/cli-keys.ts';
import { startLedgerProcess } from '../support/ledger-process.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import * as sample from './sample-files.ts';

/** A PDF of about `size` bytes whose content no other upload shares. */
const uniquePdf = (size: number) => Buffer.concat([sample.pdf(randomBytes(16).toString('hex')), randomBytes(size)]);

describe('an upload cut short by SIGKILL', () => {
  const dir = makeTempDir('evidence-crash-');
  afterAll(() => dir.remove());

  // Three rounds on one data dir: each kills the server with uploads in flight, the next starts on what it left.
  it('never leaves an event without its file, and every acknowledged upload has its file', async () => {
    const manager = createKeyWithCli(dir.path, 'plan-manager', 'Dorset CCG');
    const acknowledged: string[] = [];
    let cut = 0;
    for (const round of [1, 2, 3]) {
      const { child, url } = await startLedgerProcess(dir.path);
      const call = (path: string, init: RequestInit) =>
        fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${manager}`, ...(init.headers ?? {}) } });
      if (round === 1) {
        const plan = { planId: 'crash', title: 'Crash plan', kind: 'crisis-care-concordat', owner: 'Dorset CCG', effectiveOn: '2015-06' };
        expect(
          (await call('/plans', { method: 'POST', body: JSON.stringify(plan), headers: { 'content-type': 'application/json' } })).status,
        ).toBe(201);
        const action = {
          ref: '1',
          text: 'Map services',
          leadOrganisations: ['Dorset CCG'],
          due: { kind: 'ongoing' },
          effectiveOn: '2015-06',
        };
        const res = await call('/plans/crash/actions', {
          method: 'POST',
          body: JSON.stringify(action),
          headers: { 'content-type': 'application/json' },
        });
        expect(res.status).toBe(201);
      }
      // Sixteen uploads of 1-3 MB at once; the server is killed once the first few are answered, the rest mid-flight.
      let answered = 0;
      const killed = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const uploads = Array.from({ length: 16 }, async (_, i) => {
        const content = uniquePdf(1_000_000 + (i % 3) * 1_000_000);
        const body = await sample.multipart({ content, name: `minutes-${round}-${i}.pdf` });
        try {
          const res = await call('/plans/crash/actions/1/evidence-files', {
            method: 'POST',
            body: new Uint8Array(body.payload),
            headers: body.headers,
          });
          if (res.status === 201) acknowledged.push(sample.sha256Of(content));
        } catch {
          // The connection died with the server: this upload was never acknowledged.
          cut++;
        }
        if (++answered === 3) child.kill('SIGKILL');
      });
      await Promise.all(uploads);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await killed;
      expect(child.signalCode).toBe('SIGKILL');
    }
    // What the killed servers left: every referenced file present and whole; every acknowledged upload among them.
    const backend = await openBackend({ store: { kind: 'sqlite' }, dataDir: dir.path });
    try {
      const report = await verifyEvidenceFiles(backend.events, backend.blobs);
      expect(report.failures).toEqual([]);
      expect(report.filesChecked).toBe(report.filesReferenced);
      expect(report.filesReferenced).toBeGreaterThanOrEqual(acknowledged.length);
      for (const sha256 of acknowledged) expect(await backend.blobs.stat(sha256), sha256).toBeDefined();
      expect(acknowledged.length).toBeGreaterThanOrEqual(3);
      // The kills did land mid-upload.
      expect(cut).toBeGreaterThan(0);
    } finally {
      await backend.close();
    }
  }, 180_000);
});
