import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/temp-dir.ts';

const run = promisify(execFile);
const ledger = (args: string[]) =>
  run(process.execPath, ['bin/ledger.js', ...args], { env: { ...process.env, LOG_LEVEL: 'silent' } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe('ledger import (a real child process)', () => {
  const dirs: ReturnType<typeof makeTempDir>[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  it('prints the row-by-row preview and the summary, writes nothing on --dry-run, then imports and exports', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const file = 'examples/plans/dorset-crisis-care-concordat-action-plan.txt';
    const dry = await ledger(['import', file, '--dry-run', '-d', dir.path, '--plan', 'dorset-2017']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^source\s+fact\s+ref\s+text\s+lead\s+due\s+status\s+effective\s+record\n/);
    expect(dry.stdout).toMatch(/\nline 46\s+revision\s+1\.3\s+Timescale revised in the plan.*\s2018-03 \(March …\s+2017-08\s+new\n/);
    expect(dry.stdout).toMatch(/\nDry run \(nothing written\): .* → plan "dorset-2017"/);
    expect(dry.stdout).toMatch(/actions\s+14\s+14/);
    expect(dry.stdout).toMatch(/line 300: \[trailing-document\]/);
    expect(dry.stdout).toMatch(/\nGate: no warning blocks this import/);
    expect(fs.existsSync(`${dir.path}/organisation-aliases.json`)).toBe(false);
    // Not even an empty ledger is left behind, or the next command would take this for the server's directory.
    expect(dry.stderr).toContain(`there is no ledger in ${dir.path} yet`);
    expect(fs.readdirSync(dir.path)).toEqual([]);

    // A real import into a directory with no ledger is refused, naming it, unless --init starts one.
    const refused = await ledger(['import', file, '-d', dir.path, '--plan', 'dorset-2017']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`there is no ledger in ${dir.path}`);
    expect(refused.stderr).toContain('--init');
    expect(fs.readdirSync(dir.path)).toEqual([]);

    const real = await ledger(['import', file, '-d', dir.path, '--plan', 'dorset-2017', '--json', '--init']);
    expect(JSON.parse(real.stdout)).toMatchObject({ planId: 'dorset-2017', events: 48 });
    const exported = await ledger(['export-plan', 'dorset-2017', '-d', dir.path]);
    expect(exported.stdout.split('\n')[0]).toBe(
      'type,ref,about,section,text,timescale,due,led_by,leads,partners,outcomes,recommendations,links,date,rag,status,closed_on,into,note',
    );
    // Three ledger processes in a row, each starting Node: a busy two-core machine needs more than the default 30 s.
  }, 120_000);

  it('explains a damaged Word file and exits 1', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    fs.writeFileSync(dir.file('plan.docx'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]));
    const result = await ledger(['import', dir.file('plan.docx'), '-d', dir.path, '--init']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /plan\.docx: "plan\.docx" looks like a Word document .* cut short or damaged.* \[damaged-file\]\nNothing was written\./,
    );
  });

  it('refuses an alias file whose names hold a control character before learning any of it, and exits 1', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const organisations = [{ name: 'Southshire\u0001 Integrated Care Board', aliases: ['Southshire ICB'] }];
    fs.writeFileSync(dir.file('aliases.json'), JSON.stringify({ organisations }));
    const file = 'examples/plans/dorset-crisis-care-concordat-action-plan.txt';
    const result = await ledger(['import', file, '-d', dir.path, '--init', '--aliases', dir.file('aliases.json')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('aliases.json: organisations.0.name holds the control character U+0001');
    expect(fs.existsSync(dir.file('organisation-aliases.json'))).toBe(false);
  });
});
