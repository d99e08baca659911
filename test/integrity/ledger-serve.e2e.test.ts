import { once } from 'node:events';
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_KEY_FILE } from '../../src/integrity/signing-key.ts';
import { createKeyWithCli } from '../support/cli-keys.ts';
import { startLedgerProcess } from '../support/ledger-process.ts';
import { makeTempDir } from '../support/temp-dir.ts';

describe('ledger serve with integrity (real process)', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    dir = makeTempDir('ledger-serve-integrity-');
  });
  afterEach(() => dir.remove());

  it('generates and prints a key on first start, serves it, and signs checkpoints on its schedule once the ledger grows', async () => {
    const auditor = { authorization: `Bearer ${createKeyWithCli(dir.path, 'auditor', 'T')}` };
    const manager = { authorization: `Bearer ${createKeyWithCli(dir.path, 'plan-manager', 'T')}` };
    const { child, url, output } = await startLedgerProcess(dir.path, { LEDGER_CHECKPOINT_INTERVAL_MS: '100' });
    try {
      const key = (await (await fetch(`${url}/ledger/public-key`)).json()) as { keyId: string; pem: string };
      expect(output()).toContain('generated a new ledger signing key');
      expect(output()).toContain(key.keyId);
      expect(fs.statSync(`${dir.path}/${DEFAULT_KEY_FILE}`).mode & 0o777).toBe(0o600);
      expect((await fetch(`${url}/ledger/checkpoints/latest`, { headers: auditor })).status).toBe(404);

      const created = await fetch(`${url}/plans`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...manager },
        body: JSON.stringify({ planId: 'p', title: 'P', kind: 'other', owner: 'T' }),
      });
      expect(created.status).toBe(201);
      let latest: Response | undefined;
      for (let i = 0; i < 50 && latest?.status !== 200; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        latest = await fetch(`${url}/ledger/checkpoints/latest`, { headers: auditor });
      }
      expect(await latest!.json()).toMatchObject({ treeSize: 1, keyId: key.keyId });
      expect(await (await fetch(`${url}/ledger/verify`, { headers: auditor })).json()).toMatchObject({
        ok: true,
        eventsChecked: 1,
        checkpointsChecked: 1,
      });
    } finally {
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      expect(code, output()).toBe(0);
    }
  }, 120_000);

  it('signs the first checkpoint right after the demo data on first start, long before the first interval is up', async () => {
    const auditor = { authorization: `Bearer ${createKeyWithCli(dir.path, 'auditor', 'T')}` };
    const { child, url, output } = await startLedgerProcess(dir.path, { LEDGER_DEMO_DATA: 'true' });
    try {
      let latest: Response | undefined;
      for (let i = 0; i < 50 && latest?.status !== 200; i++) {
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, 100));
        latest = await fetch(`${url}/ledger/checkpoints/latest`, { headers: auditor });
      }
      const ready = (await (await fetch(`${url}/ready`)).json()) as { headPosition: string };
      expect(await latest!.json()).toMatchObject({ treeSize: Number(ready.headPosition) + 1 });
    } finally {
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      expect(code, output()).toBe(0);
    }
  }, 120_000);
});
