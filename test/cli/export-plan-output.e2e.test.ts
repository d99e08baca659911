import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/temp-dir.ts';
import { ledger, recordPlan } from './view-support.ts';

describe('ledger export-plan keeps what is already at -o and writes only the formats it knows (real child processes)', () => {
  const dirs: ReturnType<typeof makeTempDir>[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  it('refuses a file already at -o unless --force is given, refuses an unknown --format before reading, and takes -o - as stdout', async () => {
    const dir = makeTempDir('ledger-export-plan-');
    dirs.push(dir);
    await recordPlan(dir.file('ledger.db'));
    const out = dir.file('dorset.csv');
    fs.writeFileSync(out, 'kept\n');

    const kept = await ledger(['export-plan', 'dorset', '-o', out, '-d', dir.path]);
    expect(kept.code).toBe(2);
    expect(kept.stderr).toMatch(/already there.*\n.*Nothing was written/s);
    expect(fs.readFileSync(out, 'utf8')).toBe('kept\n');

    const replaced = await ledger(['export-plan', 'dorset', '-o', out, '--force', '-d', dir.path]);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toMatch(/Map the services/);

    const unknown = await ledger(['export-plan', 'dorset', '--format', 'xml', '-o', dir.file('dorset.xml'), '-d', dir.path]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--format.*xml.*csv, json\.\nNothing was written\.\n/);
    expect(fs.existsSync(dir.file('dorset.xml'))).toBe(false);

    // -o - is stdout, as for ledger view, not a file named "-".
    const toStdout = await ledger(['export-plan', 'dorset', '-o', '-', '-d', dir.path]);
    expect(toStdout.code, toStdout.stderr).toBe(0);
    expect(toStdout.stdout).toMatch(/Map the services/);
    expect(fs.existsSync('-')).toBe(false);
  }, 120_000);
});
