import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { createKeyWithCli } from '../support/cli-keys.ts';
import { collect } from '../support/collect.ts';
import { startLedgerProcess } from '../support/ledger-process.ts';
import { mountSmallDisk, smallDiskSupport } from '../support/small-disk.ts';

const support = smallDiskSupport();
if (!support.available) console.log(`skipped: the full-disk tests need a small tmpfs: ${support.reason}`);

/** The data directory on a real 2 MiB disk that another program fills up. */
describe.skipIf(!support.available)('a full disk (real process, data directory on a 2 MiB tmpfs)', () => {
  let disk: ReturnType<typeof mountSmallDisk>;
  beforeEach(() => {
    disk = mountSmallDisk('2m');
  });
  afterEach(() => disk.remove());

  const stop = async (child: ReturnType<typeof spawn>) => {
    child.kill('SIGTERM');
    await once(child, 'exit');
  };
  const sectionsIn = async (dataDir: string) => {
    const store = openSqliteEventStore({ file: `${dataDir}/ledger.db` });
    const events = await collect(store.readStream('plan-dorset')).finally(() => store.close());
    return events.filter((e) => e.type === 'SectionAdded').map((e) => (e.data as { sectionRef: string }).sectionRef);
  };

  it('refuses writes with 507 storage-full and Retry-After, writes nothing, is not ready, keeps serving reads, and recovers by itself', async () => {
    const headers = {
      authorization: `Bearer ${createKeyWithCli(disk.path, 'plan-manager', 'Dorset CCG')}`,
      'content-type': 'application/json',
    };
    const { child, url, output } = await startLedgerProcess(disk.path, { LEDGER_CHECKPOINT_INTERVAL_MS: '0' });
    const accepted: string[] = [];
    try {
      const plan = { planId: 'dorset', title: 'Dorset', kind: 'other', owner: 'Dorset CCG', effectiveOn: '2015-03' };
      expect((await fetch(`${url}/plans`, { method: 'POST', headers, body: JSON.stringify(plan) })).status).toBe(201);
      const addSection = async (ref: string) => {
        const body = JSON.stringify({ sectionRef: ref, title: `Section ${ref} ${'x'.repeat(400)}`, effectiveOn: '2015-03' });
        const response = await fetch(`${url}/plans/dorset/sections`, { method: 'POST', headers, body });
        if (response.status === 201) accepted.push(ref);
        return response;
      };

      disk.fill();
      let refused: Response | undefined;
      for (let i = 1; i <= 300 && !refused; i++) {
        const response = await addSection(`F${i}`);
        expect([201, 507], `write ${i}: ${response.status}`).toContain(response.status);
        if (response.status === 507) refused = response;
      }
      expect(refused, 'the disk never filled').toBeDefined();
      expect(refused!.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(refused!.headers.get('retry-after')).toBe('30');
      expect(await refused!.json()).toMatchObject({ status: 507, code: 'storage-full' });
      expect((await addSection('again')).status).toBe(507);

      const ready = await fetch(`${url}/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ code: 'storage-full' });
      expect((await fetch(`${url}/health`)).status).toBe(200);
      expect((await fetch(`${url}/plans`, { headers })).status).toBe(200);
      // An audited read is served only once recorded; on a full disk that may not be possible: 507, never 500.
      expect([200, 507]).toContain((await fetch(`${url}/plans/dorset`, { headers })).status);

      disk.free();
      let readyAgain = false;
      for (let i = 0; i < 50 && !readyAgain; i++) {
        readyAgain = (await fetch(`${url}/ready`)).status === 200;
        if (!readyAgain) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(readyAgain, 'ready again once space returned').toBe(true);
      expect((await addSection('after')).status).toBe(201);
    } finally {
      await stop(child);
    }
    expect(output()).toContain('the disk holding the ledger is full');
    // Exactly the acknowledged writes are in the ledger: nothing refused was half-written.
    expect(await sectionsIn(disk.path)).toEqual(accepted);
  });

  it('a start on a full disk says so in one line and exits; once there is room it starts', async () => {
    const first = await startLedgerProcess(disk.path, { LEDGER_CHECKPOINT_INTERVAL_MS: '0' });
    await stop(first.child);
    disk.fill();
    const child = spawn(process.execPath, ['bin/ledger.js', 'serve', '--port', '0'], {
      env: { ...process.env, LEDGER_DATA_DIR: disk.path, LEDGER_DEMO_DATA: 'false', LOG_LEVEL: 'warn' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code, stdout + stderr).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^ledger: the disk holding ${disk.path} is full \\(0 bytes free\\)`)),
    ]);
    disk.free();
    const again = await startLedgerProcess(disk.path, { LEDGER_CHECKPOINT_INTERVAL_MS: '0' });
    expect((await fetch(`${again.url}/ready`)).status).toBe(200);
    await stop(again.child);
  });
});
