import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { verifyEvidenceFiles } from '../../src/evidence/verify-evidence-files.ts';
import { seedDorsetPlan, useSecuredLedger, type SecuredLedger } from '../support/access.ts';
import * as sample from './sample-files.ts';

const open = useSecuredLedger();
const run = promisify(execFile);

const attach = async (ledger: SecuredLedger, key: string, content: Buffer, name: string) => {
  const body = await sample.multipart({ content, name });
  const res = await ledger.call(key, { method: 'POST', url: '/plans/dorset/actions/1.3/evidence-files', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().file.sha256 as string;
};
const blobFile = (ledger: SecuredLedger, sha256: string) => path.join(ledger.dataDir, 'evidence', 'sha256', sha256.slice(0, 2), sha256);

/** A ledger with four files: one sound, one altered in the store, one deleted from it, one erased through the ledger. */
const tampered = async () => {
  const ledger = await open();
  const { manager } = await seedDorsetPlan(ledger);
  const sound = await attach(ledger, manager, sample.pdf('sound'), 'sound.pdf');
  const altered = await attach(ledger, manager, sample.pdf('altered'), 'altered.pdf');
  const deleted = await attach(ledger, manager, await sample.docx('deleted'), 'deleted.docx');
  const erased = await attach(ledger, manager, sample.png(9), 'erased.png');
  const erasure = await ledger.call(manager, {
    method: 'POST',
    url: `/plans/dorset/evidence-files/${erased}/erasure`,
    payload: { reason: 'Names a patient' },
  });
  expect(erasure.statusCode).toBe(201);
  fs.writeFileSync(blobFile(ledger, altered), sample.pdf('ALTERED'));
  fs.rmSync(blobFile(ledger, deleted));
  return { ledger, sound, altered, deleted, erased };
};

describe('verify checks every evidence file the ledger references', () => {
  it('names an altered and a missing file, and reports an erased one as erased, not missing', async () => {
    const { ledger, altered, deleted, erased } = await tampered();
    const report = await verifyEvidenceFiles(ledger.store, ledger.blobs);
    expect(report).toMatchObject({ ok: false, filesReferenced: 4, filesChecked: 2, unreferenced: 0 });
    expect(report.erased.map((e) => e.sha256)).toEqual([erased]);
    expect(report.failures.map((f) => [f.kind, f.sha256, f.planId])).toEqual([
      ['evidence-file-altered', altered, 'dorset'],
      ['evidence-file-missing', deleted, 'dorset'],
    ]);

    const answer = await ledger.call(await ledger.keyFor('auditor'), { method: 'GET', url: '/ledger/verify' });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toMatchObject({ ok: false, evidenceFiles: { ok: false, filesReferenced: 4, erased: [{ sha256: erased }] } });
  });

  it('names erased content still in the store', async () => {
    const { ledger, erased } = await tampered();
    fs.mkdirSync(path.dirname(blobFile(ledger, erased)), { recursive: true });
    fs.writeFileSync(blobFile(ledger, erased), sample.png(9));
    const report = await verifyEvidenceFiles(ledger.store, ledger.blobs);
    expect(report.failures.map((f) => f.kind)).toContain('erased-evidence-present');
  });

  it('makes ledger verify exit 1 naming each failure, and 0 once the files are sound again', async () => {
    const { ledger, altered, deleted } = await tampered();
    const verify = () =>
      run(process.execPath, [path.resolve('bin/ledger.js'), 'verify', '-d', ledger.dataDir], {
        env: { ...process.env, LOG_LEVEL: 'silent' },
      }).then(
        (r) => ({ code: 0, stdout: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
      );
    const failed = await verify();
    expect(failed.code, failed.stdout).toBe(1);
    expect(failed.stdout).toMatch(/evidence files:\s+4 referenced, 2 checked, 1 erased/);
    expect(failed.stdout).toContain(`FAILED (evidence-file-altered): evidence file ${altered}`);
    expect(failed.stdout).toContain(`FAILED (evidence-file-missing): evidence file ${deleted}`);
    expect(failed.stdout).toMatch(/erased: [0-9a-f]{64} \(plan dorset/);

    fs.writeFileSync(blobFile(ledger, altered), sample.pdf('altered'));
    fs.writeFileSync(blobFile(ledger, deleted), await sample.docx('deleted'));
    const passed = await verify();
    expect(passed.code, passed.stdout).toBe(0);
  }, 60_000);
});
