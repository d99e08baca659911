import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { collect } from '../support/collect.ts';
import { seedDorsetPlan, useSecuredLedger } from '../support/access.ts';
import * as sample from './sample-files.ts';

const open = useSecuredLedger();
const run = promisify(execFile);

const attachIn =
  (dataDir: string) =>
  (file: string, ...args: string[]) =>
    run(process.execPath, [path.resolve('bin/ledger.js'), 'attach-evidence', 'dorset', file, '-d', dataDir, ...args], {
      env: { ...process.env, LOG_LEVEL: 'silent' },
    }).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );

describe('ledger attach-evidence', () => {
  it('attaches a file through the same checks as an upload, and refuses a bad one writing and keeping nothing', async () => {
    const ledger = await open();
    await seedDorsetPlan(ledger);
    const attach = attachIn(ledger.dataDir);
    const csv = path.join(ledger.dataDir, '..', `${path.basename(ledger.dataDir)}-audit.csv`);
    const empty = `${csv}.empty.pdf`;
    fs.writeFileSync(csv, sample.csv());
    fs.writeFileSync(empty, '');
    try {
      const attached = await attach(csv, '--action', '1.3', '--title', 'Audit of referrals');
      expect(attached.code, attached.out).toBe(0);
      const sha256 = sample.sha256Of(sample.csv());
      expect(attached.out).toContain(`(text/csv, ${sample.csv().length} bytes, sha256 ${sha256}) to action 1.3 of plan "dorset"`);
      expect(await ledger.blobs.stat(sha256)).toBeDefined();
      const events = await collect(ledger.store.readStream('plan-dorset'));
      expect(events.at(-1)).toMatchObject({
        type: 'EvidenceFileAttached',
        data: { title: 'Audit of referrals', file: { sha256, mediaType: 'text/csv' } },
      });

      const before = await ledger.store.headPosition();
      const stored = await collect(ledger.blobs.list());
      const refused = await attach(empty, '--action', '1.3');
      expect(refused.code).toBe(1);
      expect(refused.out).toContain('[empty-file]');
      const unknown = await attach(csv, '--action', '9.9');
      expect(unknown.code).toBe(1);
      expect(unknown.out).toMatch(/Nothing was written/);
      expect(await ledger.store.headPosition()).toBe(before);
      expect((await collect(ledger.blobs.list())).length).toBe(stored.length);
    } finally {
      fs.rmSync(csv, { force: true });
      fs.rmSync(empty, { force: true });
    }
  }, 120_000);

  it('refuses an --effective-on that is no real date, saying so, where it recorded 2016-02-31 and called "soon" a future date', async () => {
    const ledger = await open();
    await seedDorsetPlan(ledger);
    const attach = attachIn(ledger.dataDir);
    const csv = path.join(ledger.dataDir, '..', `${path.basename(ledger.dataDir)}-dated.csv`);
    fs.writeFileSync(csv, sample.csv());
    try {
      const before = await ledger.store.headPosition();
      const stored = await collect(ledger.blobs.list());
      for (const date of ['2016-02-31', 'soon']) {
        const refused = await attach(csv, '--action', '1.3', '--effective-on', date);
        expect(refused.code, refused.out).toBe(1);
        expect(refused.out).toContain(`--effective-on ${date} is not a real calendar date: give a day as YYYY-MM-DD or a month as YYYY-MM`);
        expect(refused.out).toContain('Nothing was written.');
      }
      // What was typed is echoed with its control characters shown, never sent to the terminal.
      const escape = await attach(csv, '--action', '1.3', '--effective-on', '2016\u001b[2J\u009b');
      expect(escape.out).toContain('--effective-on 2016\\u001b[2J\\u009b is not a real calendar date');
      // eslint-disable-next-line no-control-regex -- what must not reach the terminal
      expect(escape.out).not.toMatch(/[\u001b\u009b]/);
      expect(await ledger.store.headPosition()).toBe(before);
      expect((await collect(ledger.blobs.list())).length).toBe(stored.length);
    } finally {
      fs.rmSync(csv, { force: true });
    }
  }, 120_000);
});
