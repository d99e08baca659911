import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCommandHandler } from '../../src/commands/command-path.ts';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { mountSmallDisk, smallDiskSupport } from '../support/small-disk.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { actor } from './view-support.ts';

const support = smallDiskSupport();
if (!support.available) console.log(`skipped: the tests of a view written to a full disk need a small tmpfs: ${support.reason}`);

/** `ledger view` with its stdout opened on `out` (as a shell's `> out` does): its exit code and stderr. */
const viewTo = (out: string, args: string[]) =>
  new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const fd = fs.openSync(out, 'w');
    const child = spawn(process.execPath, ['bin/ledger.js', 'view', ...args], {
      stdio: ['ignore', fd, 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    fs.closeSync(fd);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });

/** Forty plans: a list of them is some 20 KB of JSON. */
const recordPlans = async (file: string) => {
  const store = openSqliteEventStore({ file });
  const handle = createCommandHandler({ store });
  for (let i = 0; i < 40; i++) {
    const planId = `plan-${i}`;
    await handle(
      planId,
      { type: 'RegisterPlan', data: { planId, title: `Crisis care plan number ${i}`, kind: 'other', owner: 'Dorset CCG', ragLegend: [] } },
      { actor, commandId: `c${i}`, correlationId: 'full-disk', provenance: { source: 'api' }, effectiveOn: '2015-03' },
    );
  }
  await store.close();
};

describe.skipIf(!support.available)('a view written to stdout on a full disk (real process, stdout on a small tmpfs)', () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const undo of cleanup.splice(0).reverse()) undo();
  });

  it('exits 1 saying the answer was cut short, rather than 0 over a file holding part of it', async () => {
    const data = makeTempDir('ledger-view-full-');
    cleanup.push(() => data.remove());
    await recordPlans(path.join(data.path, 'ledger.db'));
    const disk = mountSmallDisk('1m');
    cleanup.push(() => disk.remove());
    // Eight KiB left: part of the answer fits, and the rest does not.
    const gap = path.join(disk.path, 'gap');
    fs.writeFileSync(gap, Buffer.alloc(8192));
    disk.fill();
    fs.rmSync(gap);
    const out = path.join(disk.path, 'plans.json');
    const { code, stderr } = await viewTo(out, ['plans', '-d', data.path, '--no-progress']);
    expect(stderr).toContain('ledger view: the answer was not written whole to stdout (the disk is full); what was written is cut short');
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(code).toBe(1);
    expect(fs.statSync(out).size).toBeGreaterThan(0);

    disk.free();
    const whole = await viewTo(out, ['plans', '-d', data.path, '--no-progress']);
    expect(whole).toEqual({ code: 0, stderr: '' });
    expect((JSON.parse(fs.readFileSync(out, 'utf8')) as { plans: unknown[] }).plans).toHaveLength(40);
  });
});
