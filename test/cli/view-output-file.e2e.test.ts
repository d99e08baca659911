import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/temp-dir.ts';
import { ledger, recordPlan, run } from './view-support.ts';

describe('ledger view -o: the file it writes, and what it never writes over (real child processes)', () => {
  const dirs: ReturnType<typeof makeTempDir>[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  it('keeps a file already at -o unless --force replaces it (its permissions kept), never replaces a read-only file, a device, a pipe or a link, and writes through a linked folder', async () => {
    const dir = makeTempDir('ledger-view-');
    dirs.push(dir);
    await recordPlan(dir.file('ledger.db'));
    const kept = dir.file('kept.json');
    fs.writeFileSync(kept, 'an earlier record\n', { mode: 0o600 });
    fs.chmodSync(kept, 0o600);
    const again = await ledger(['view', 'plans', '-o', kept, '-d', dir.path]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(
      /-o .*kept\.json: a file is already there; name a new file, or give --force to replace it\nNothing was written\.\n$/,
    );
    expect(fs.readFileSync(kept, 'utf8')).toBe('an earlier record\n');
    const forced = await ledger(['view', 'plans', '-o', kept, '--force', '-d', dir.path]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(fs.readFileSync(kept, 'utf8'))).toMatchObject({ plans: [{ planId: 'dorset' }] });
    expect(fs.statSync(kept).mode & 0o777).toBe(0o600);
    // Not ordinary files: a pipe, and a link (to a file or to a device) — each refused as it is, before the view is read.
    const pipe = dir.file('pipe');
    await run('mkfifo', [pipe]);
    fs.symlinkSync('/dev/null', dir.file('null-link'));
    for (const target of [pipe, dir.file('null-link')]) {
      const refused = await ledger(['view', 'plans', '-o', target, '--force', '-d', dir.path]);
      expect(refused.code, target).toBe(2);
      expect(refused.stderr).toMatch(/is not an ordinary file \(a device, a pipe or a link\); name a new file\nNothing was written\.\n$/);
    }
    expect(fs.lstatSync(pipe).isFIFO()).toBe(true);
    expect(fs.readlinkSync(dir.file('null-link'))).toBe('/dev/null');
    // Paths no file can be at, said in words.
    for (const [out, says] of [
      ['', /-o : needs a file name/],
      [`${kept}/x.json`, /kept\.json is a file, not a folder/],
    ] as const) {
      const refused = await ledger(['view', 'plans', '-o', out, '-d', dir.path]);
      expect(refused.code, out).toBe(2);
      expect(refused.stderr).toMatch(says);
    }
    // A folder reached through a link is a folder: the file is written in it.
    fs.mkdirSync(dir.file('real'));
    fs.symlinkSync(dir.file('real'), dir.file('linked'));
    const through = await ledger(['view', 'plans', '-o', dir.file('linked/plans.json'), '-d', dir.path]);
    expect(through.code, through.stderr).toBe(0);
    expect(JSON.parse(fs.readFileSync(dir.file('real/plans.json'), 'utf8'))).toMatchObject({ plans: [{ planId: 'dorset' }] });
    // A file made read-only is kept, even with --force.
    fs.chmodSync(kept, 0o444);
    const readOnly = await ledger(['view', 'plans', '-o', kept, '--force', '-d', dir.path]);
    expect(readOnly.code).toBe(2);
    expect(readOnly.stderr).toMatch(/kept\.json: is read-only; it is kept, so name a new file/);
    expect(JSON.parse(fs.readFileSync(kept, 'utf8'))).toMatchObject({ plans: [{ planId: 'dorset' }] });
    const alone = await ledger(['view', 'plans', '--force', '-d', dir.path]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/--force replaces the file -o names: give it with -o <file>/);
    expect(fs.readdirSync(dir.path).filter((f) => f.includes('partial'))).toEqual([]);
  }, 120_000);
});
