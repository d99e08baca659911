import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { asideOf, placeWritten, writeWhole } from '../../src/cli/write-whole.ts';
import { makeTempDir } from '../support/temp-dir.ts';

describe('a file written beside its place is put there whole, never over a file that appeared meanwhile (a real file system)', () => {
  const dirs: ReturnType<typeof makeTempDir>[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
  const folder = () => {
    const dir = makeTempDir('write-whole-');
    dirs.push(dir);
    return dir;
  };

  it('keeps a file that appeared at the name while the new one was written, and removes what was written beside it', () => {
    const dir = folder();
    const file = dir.file('pack.zip');
    fs.writeFileSync(asideOf(file), 'the new pack');
    fs.writeFileSync(file, 'an earlier record');
    expect(placeWritten(file, false)).toMatch(/already there/);
    expect(fs.readFileSync(file, 'utf8')).toBe('an earlier record');
    expect(fs.readdirSync(dir.path)).toEqual(['pack.zip']);
  });

  it('replaces it when asked, keeping its permissions', () => {
    const dir = folder();
    const file = dir.file('pack.zip');
    fs.writeFileSync(file, 'an earlier record', { mode: 0o600 });
    fs.writeFileSync(asideOf(file), 'the new pack', { mode: 0o644 });
    expect(placeWritten(file, true)).toBeUndefined();
    expect(fs.readFileSync(file, 'utf8')).toBe('the new pack');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir.path)).toEqual(['pack.zip']);
  });

  it('writes a new file whole where nothing was', () => {
    const dir = folder();
    expect(writeWhole(dir.file('view.json'), '{}\n')).toBeUndefined();
    expect(fs.readFileSync(dir.file('view.json'), 'utf8')).toBe('{}\n');
    expect(fs.readdirSync(dir.path)).toEqual(['view.json']);
  });
});
