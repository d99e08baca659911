import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExportBundle } from '../../src/integrity/export-bundle.ts';
import { seedPlans, useLedger } from '../integrity/ledger-fixture.ts';

/**
 * docs/verification.md gives auditors a script to check an export bundle by hand, with nothing of ours. It is what they
 * copy, so it must refuse what `ledger verify-export` refuses: a bundle is only as safe as the weakest check offered.
 */
const byHandScript = (): string => {
  const doc = fs.readFileSync(path.resolve('docs/verification.md'), 'utf8');
  const section = doc.slice(doc.indexOf('### By hand'));
  const match = /```js\n([\s\S]*?)```/.exec(section);
  if (!match?.[1]) throw new Error('docs/verification.md has no js block under "By hand"');
  return match[1];
};

describe('the by-hand check of an export bundle in docs/verification.md', () => {
  const ctx = useLedger();

  /** Runs the documented script, as an auditor would, on the bundle and the published key; its exit status. */
  const runByHand = (bundle: ExportBundle, publishedPem = ctx.key.publicKeyPem): number => {
    const dir = ctx.dir.file('by-hand');
    fs.mkdirSync(dir, { recursive: true });
    // The script imports `canonicalize` as the auditor's project would: from a node_modules beside it.
    if (!fs.existsSync(path.join(dir, 'node_modules'))) fs.symlinkSync(path.resolve('node_modules'), path.join(dir, 'node_modules'));
    fs.writeFileSync(path.join(dir, 'check.mjs'), byHandScript());
    fs.writeFileSync(path.join(dir, 'plan.json'), JSON.stringify(bundle));
    fs.writeFileSync(path.join(dir, 'ledger-public-key.pem'), publishedPem);
    const run = spawnSync(process.execPath, ['check.mjs'], { cwd: dir, encoding: 'utf8' });
    return run.status ?? -1;
  };

  const exportDevon = async (): Promise<ExportBundle> => {
    await seedPlans(ctx.store, 6);
    return JSON.parse(JSON.stringify(await ctx.ledger.exportPlan('devon'))) as ExportBundle;
  };

  it('passes a bundle as exported, against the key that signed it', async () => {
    expect(runByHand(await exportDevon())).toBe(0);
  });

  it('fails a bundle whose signed checkpoint was edited', async () => {
    const bundle = await exportDevon();
    expect(runByHand({ ...bundle, checkpoint: { ...bundle.checkpoint, issuedAt: '2001-01-01T00:00:00.000Z' } })).not.toBe(0);
  });

  it('fails a bundle checked against a published key that did not sign it', async () => {
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(runByHand(await exportDevon(), other)).not.toBe(0);
  });

  it("fails a bundle whose plan's last events were dropped and streamRevision lowered to hide it", async () => {
    const bundle = await exportDevon();
    const kept = bundle.events.slice(0, -2);
    expect(runByHand({ ...bundle, events: kept, streamRevision: kept.at(-1)!.revision })).not.toBe(0);
  });
});
