import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { expect, it } from 'vitest';
import { prepareEvidencePack } from '../../src/evidence/pack/build-pack.ts';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import * as sample from './sample-files.ts';

const open = useSecuredLedger();

it('ends the pack with an error, not the process, when an evidence file leaves the store while the zip is written', async () => {
  const ledger = await open();
  const { manager } = await seedDorsetPlan(ledger);
  const body = await sample.multipart({ content: sample.pdf('Safeguarding policy'), name: 'policy.pdf', type: 'application/pdf' });
  const res = await ledger.call(manager, { method: 'POST', url: '/plans/dorset/actions/1.3/evidence-files', ...body });
  expect(res.statusCode, res.body).toBe(201);
  const sha256 = res.json().file.sha256 as string;
  await ledger.ledger.checkpointNow();

  const pack = await prepareEvidencePack({ ledger: ledger.ledger, blobs: ledger.blobs, erasureOf: async () => undefined }, 'dorset');
  expect(pack.manifest.evidence).toEqual([expect.objectContaining({ sha256, status: 'included' })]);
  // Gone between the pack's making and its writing: the file is opened only as the zip reaches it.
  fs.rmSync(path.join(ledger.dataDir, 'evidence', 'sha256', sha256.slice(0, 2), sha256));
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  await expect(pipeline(pack.stream(), sink)).rejects.toThrow(/left the store while packing/);
});
