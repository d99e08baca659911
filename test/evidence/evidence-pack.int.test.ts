import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyPack } from '../../src/evidence/pack/verify-pack.ts';
import { loadSigningKey } from '../../src/integrity/signing-key.ts';
import { seedDorsetPlan, useSecuredLedger, type SecuredLedger } from '../support/access.ts';
import * as sample from './sample-files.ts';
import { editZip, unzip } from './zip-files.ts';

const open = useSecuredLedger();
const run = promisify(execFile);
const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-pack-'));
  scratch.push(dir);
  return dir;
};

const attach = async (ledger: SecuredLedger, key: string, content: Buffer, name: string, ref = '1.3') => {
  const body = await sample.multipart({ content, name, type: name.endsWith('.csv') ? 'text/csv' : 'application/octet-stream' });
  const res = await ledger.call(key, { method: 'POST', url: `/plans/dorset/actions/${ref}/evidence-files`, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().file.sha256 as string;
};
const blobFile = (ledger: SecuredLedger, sha256: string) => path.join(ledger.dataDir, 'evidence', 'sha256', sha256.slice(0, 2), sha256);

/** A plan with a PDF and a CSV kept, and a PNG erased through the ledger; the pack fetched as an auditor fetches it. */
const packed = async () => {
  const ledger = await open();
  const { manager } = await seedDorsetPlan(ledger);
  const pdf = await attach(ledger, manager, sample.pdf('Safeguarding policy, ratified'), 'policy.pdf');
  const csv = await attach(ledger, manager, sample.csv(), 'audit.csv');
  const png = await attach(ledger, manager, sample.png(3), 'patient-photo.png');
  const erasure = await ledger.call(manager, {
    method: 'POST',
    url: `/plans/dorset/evidence-files/${png}/erasure`,
    payload: { reason: 'Shows a patient' },
  });
  expect(erasure.statusCode).toBe(201);
  const auditor = await ledger.keyFor('auditor');
  const dir = tempDir();
  const pem = path.join(dir, 'ledger-public-key.pem');
  fs.writeFileSync(pem, (await ledger.call(undefined, { method: 'GET', url: '/ledger/public-key.pem' })).body);
  const fetchPack = async () => {
    const res = await ledger.call(auditor, { method: 'GET', url: '/plans/dorset/evidence-pack' });
    expect(res.statusCode, res.body).toBe(200);
    const file = path.join(dir, `pack-${Math.random().toString(36).slice(2)}.zip`);
    fs.writeFileSync(file, res.rawPayload);
    return { res, file };
  };
  const { res, file } = await fetchPack();
  return { ledger, manager, auditor, dir, pem, pdf, csv, png, res, file, fetchPack, pemText: fs.readFileSync(pem, 'utf8') };
};

describe('the evidence pack', () => {
  it('is one zip of index.html, the files by hash, the export, pack.json, VERIFY.txt and the signed SHA256SUMS, which verify-pack accepts', async () => {
    const { res, file, pdf, csv, png, pemText } = await packed();
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toBe('attachment; filename="evidence-pack-dorset.zip"');
    const entries = await unzip(file);
    expect([...entries.keys()].sort()).toEqual(
      [
        'SHA256SUMS',
        'SHA256SUMS.sig.json',
        'VERIFY.txt',
        'export.json',
        'index.html',
        'pack.json',
        `evidence/${pdf}.pdf`,
        `evidence/${csv}.csv`,
      ].sort(),
    );
    expect(entries.get(`evidence/${pdf}.pdf`)).toEqual(sample.pdf('Safeguarding policy, ratified'));
    const manifest = JSON.parse(entries.get('pack.json')!.toString());
    expect(manifest.evidence.map((e: { sha256: string; status: string }) => [e.sha256, e.status])).toEqual([
      [pdf, 'included'],
      [csv, 'included'],
      [png, 'erased'],
    ]);
    const html = entries.get('index.html')!.toString();
    expect(html).toContain('Evidence pack:');
    expect(html).toContain(pdf);
    expect(html).toContain('policy.pdf');
    expect(html).toContain('Shows a patient');
    expect(html).toMatch(new RegExp(`${png}</td>\\s*<td><strong>Erased</strong>`));
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(entries.get('VERIFY.txt')!.toString()).toContain('ledger verify-pack evidence-pack-dorset.zip --public-key');

    const report = await verifyPack(file, { trustedPublicKeyPem: pemText });
    expect(report.failures).toEqual([]);
    expect(report).toMatchObject({ ok: true, keyPinned: true, planId: 'dorset', evidence: { recorded: 3, included: 2, erased: 1 } });
    expect(report.filesChecked).toBe(6);
  });

  it('names an edited index.html as not what the ledger signed, a replaced file as not the recorded one, and an added file as not covered', async () => {
    const { file, dir, pdf, pemText } = await packed();
    const entries = await unzip(file);
    const edited = path.join(dir, 'edited.zip');
    await editZip(file, edited, { 'index.html': Buffer.from(entries.get('index.html')!.toString().replace('Completed', 'Done')) });
    const r1 = await verifyPack(edited, { trustedPublicKeyPem: pemText });
    expect(r1.ok).toBe(false);
    expect(r1.failures.map((f) => [f.kind, f.path])).toEqual([['file-changed', 'index.html']]);
    expect(r1.failures[0]!.message).toContain('not what the ledger signed');

    const replaced = path.join(dir, 'replaced.zip');
    await editZip(file, replaced, { [`evidence/${pdf}.pdf`]: sample.pdf('Safeguarding policy, draft') });
    const r2 = await verifyPack(replaced, { trustedPublicKeyPem: pemText });
    expect(r2.failures.map((f) => [f.kind, f.path])).toEqual([
      ['file-changed', `evidence/${pdf}.pdf`],
      ['evidence-not-as-recorded', `evidence/${pdf}.pdf`],
    ]);
    expect(r2.failures[1]!.eventId).toMatch(/^[0-9a-f-]{36}$/);

    const added = path.join(dir, 'added.zip');
    await editZip(file, added, { 'evidence/extra.pdf': sample.pdf('Planted') });
    const r3 = await verifyPack(added, { trustedPublicKeyPem: pemText });
    expect(r3.failures.map((f) => [f.kind, f.path])).toEqual([['file-not-covered', 'evidence/extra.pdf']]);

    // Rewriting SHA256SUMS to match the edit breaks the ledger's signature instead.
    const resummed = path.join(dir, 'resummed.zip');
    const sums = entries
      .get('SHA256SUMS')!
      .toString()
      .replace(/^[0-9a-f]{64}(?= {2}index\.html$)/m, sample.sha256Of(Buffer.from('x')));
    await editZip(file, resummed, { 'index.html': Buffer.from('x'), SHA256SUMS: Buffer.from(sums) });
    const r4 = await verifyPack(resummed, { trustedPublicKeyPem: pemText });
    expect(r4.failures.map((f) => f.kind)).toEqual(['pack-signature-invalid']);
  });

  it('says which files the store had lost or altered, and verify-pack names them', async () => {
    const { ledger, fetchPack, pdf, csv, pemText } = await packed();
    fs.rmSync(blobFile(ledger, pdf));
    fs.writeFileSync(blobFile(ledger, csv), 'ref,status\n1.3,forged\n');
    const { file } = await fetchPack();
    const entries = await unzip(file);
    expect([...entries.keys()].filter((n) => n.startsWith('evidence/'))).toEqual([]);
    const html = entries.get('index.html')!.toString();
    expect(html).toContain('MISSING');
    expect(html).toContain('ALTERED');
    const report = await verifyPack(file, { trustedPublicKeyPem: pemText });
    expect(report.failures.map((f) => [f.kind, f.sha256])).toEqual([
      ['evidence-absent', pdf],
      ['evidence-absent', csv],
    ]);
  });

  it('is refused as problem+json for an unknown plan and to a role that may not export, writing nothing', async () => {
    const { ledger, manager, auditor } = await packed();
    const before = await ledger.store.headPosition();
    const unknown = await ledger.call(auditor, { method: 'GET', url: '/plans/nowhere/evidence-pack' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect(unknown.json().code).toBe('plan-not-found');
    const contributor = await ledger.call(await ledger.keyFor('contributor', 'Dorset Council'), {
      method: 'GET',
      url: '/plans/dorset/evidence-pack',
    });
    expect(contributor.statusCode).toBe(403);
    expect(manager).toBeTruthy();
    expect(await ledger.store.headPosition()).toBe(before);
  });

  it('and the export it holds refuse a parameter such as asOf with 400, rather than answering at the head and signing for it', async () => {
    const { ledger, manager, auditor } = await packed();
    await attach(ledger, manager, sample.pdf('Attached after the date asked for'), 'later.pdf');
    const latest = async () => (await ledger.call(auditor, { method: 'GET', url: '/ledger/checkpoints/latest' })).json().treeSize as number;
    const signedBefore = await latest();
    const before = await ledger.store.headPosition();
    for (const url of ['/plans/dorset/evidence-pack?asOf=2015-01-01T00:00:00Z', '/plans/dorset/export?asOf=2015-01-01T00:00:00Z']) {
      const res = await ledger.call(auditor, { method: 'GET', url });
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().detail).toContain('asOf');
    }
    expect(await latest()).toBe(signedBefore);
    expect(await ledger.store.headPosition()).toBe(before);
  });

  it('is made by ledger evidence-pack and checked by ledger verify-pack: exit 0 pinned, 3 unpinned, 1 tampered', async () => {
    const { ledger, dir, pem } = await packed();
    const ledgerBin = path.resolve('bin/ledger.js');
    const cli = (args: string[]) =>
      run(process.execPath, [ledgerBin, ...args], { env: { ...process.env, LOG_LEVEL: 'silent' } }).then(
        (r) => ({ code: 0, stdout: r.stdout }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout + e.stderr }),
      );
    const out = path.join(dir, 'cli-pack.zip');
    const made = await cli(['evidence-pack', 'dorset', '-o', out, '-d', ledger.dataDir]);
    expect(made.code, made.stdout).toBe(0);
    expect(made.stdout).toMatch(/wrote .*cli-pack\.zip: plan dorset at checkpoint \d+, evidence files 2 included, 1 erased/);
    const pinned = await cli(['verify-pack', out, '--public-key', pem]);
    expect(pinned.code, pinned.stdout).toBe(0);
    expect(pinned.stdout).toContain('evidence files:      3 recorded, 2 in the pack as recorded, 1 erased');
    expect(pinned.stdout).toMatch(/^signed by key [0-9a-f]{16} \(the key you supplied\)$/m);
    expect((await cli(['verify-pack', out])).code).toBe(3);
    // Another key supplied: the signer is not called the supplied key.
    const anotherPem = path.join(dir, 'another.pem');
    fs.writeFileSync(anotherPem, loadSigningKey({ dataDir: path.join(dir, 'another') }).key.publicKeyPem);
    const another = await cli(['verify-pack', out, '--public-key', anotherPem]);
    expect(another.code, another.stdout).toBe(1);
    expect(another.stdout).toMatch(/^the file names key [0-9a-f]{16} as its signer, not the key you supplied \([0-9a-f]{16}\)$/m);
    expect(another.stdout).not.toContain('(the key you supplied)');
    // After the ledger's key is rotated, a pack signed by the new key verifies against the old one, which endorsed it.
    const rotated = await cli(['rotate-signing-key', '-d', ledger.dataDir, '--reason', 'yearly rotation']);
    expect(rotated.code, rotated.stdout).toBe(0);
    const afterRotation = path.join(dir, 'rotated-pack.zip');
    expect((await cli(['evidence-pack', 'dorset', '-o', afterRotation, '-d', ledger.dataDir])).code).toBe(0);
    const endorsed = await cli(['verify-pack', afterRotation, '--public-key', pem]);
    expect(endorsed.code, endorsed.stdout).toBe(0);
    expect(endorsed.stdout).toMatch(/^signed by key [0-9a-f]{16}, which the key you supplied endorsed through the ledger's key history/m);
    const edited = path.join(dir, 'edited.zip');
    await editZip(out, edited, { 'index.html': Buffer.from('<p>All done</p>') });
    const failed = await cli(['verify-pack', edited, '--public-key', pem]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('FAILED (file-changed): index.html does not match');
  }, 180_000);

  it('checked by verify-pack with a --public-key file that holds no key, blames the key file, not the pack', async () => {
    const { file, dir } = await packed();
    const notAKey = path.join(dir, 'not-a-key.pem');
    fs.writeFileSync(notAKey, 'this is not a key\n');
    const refused = await run(process.execPath, [path.resolve('bin/ledger.js'), 'verify-pack', file, '--public-key', notAKey], {
      env: { ...process.env, LOG_LEVEL: 'silent' },
    }).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(
      `cannot read the public key ${notAKey}: ${notAKey} holds no public key: give the PEM of GET /ledger/public-key.pem, or the JSON of GET /ledger/public-key`,
    );
    expect(refused.stdout).not.toContain('export.json');
  }, 120_000);
});
