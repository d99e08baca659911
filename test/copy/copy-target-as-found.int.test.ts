import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { targetAsFound } from '../../src/cli/copy-target-as-found.ts';
import { makeTempDir } from '../support/temp-dir.ts';

/** What opening an embedded target leaves in its directory before the first event: the ledger file and its WAL. */
const openedStore = (dir: string) => {
  fs.mkdirSync(dir, { recursive: true });
  for (const name of ['ledger.db', 'ledger.db-wal', 'ledger.db-shm']) fs.writeFileSync(path.join(dir, name), '');
};

/** A refused or stopped copy puts back only what it made: on real directories, beside what others make meanwhile. */
describe('a copy that carried nothing into its target', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => (dir = makeTempDir('copy-as-found-')));
  afterEach(() => dir.remove());

  it('removes the directories it made, but not a parent another copy finished its target in meanwhile', () => {
    const a = dir.file('copies/a');
    const asFound = targetAsFound(a);
    openedStore(dir.file('copies/b'));
    openedStore(a);
    asFound.restore();
    expect(fs.existsSync(a)).toBe(false);
    expect(fs.readdirSync(dir.file('copies/b')).sort()).toEqual(['ledger.db', 'ledger.db-shm', 'ledger.db-wal']);
  });

  it('removes a directory and the parents it made when nothing else is in them', () => {
    const asFound = targetAsFound(dir.file('new/copy'));
    openedStore(dir.file('new/copy'));
    asFound.restore();
    expect(fs.readdirSync(dir.path)).toEqual([]);
  });

  it('in a directory that was there, removes its own ledger files and leaves a file another program wrote meanwhile', () => {
    fs.writeFileSync(dir.file('README.txt'), 'kept');
    const asFound = targetAsFound(dir.path);
    openedStore(dir.path);
    fs.writeFileSync(dir.file('minutes-2026-12-06.txt'), 'written during the copy');
    fs.mkdirSync(dir.file('evidence/ab'), { recursive: true });
    asFound.restore();
    expect(fs.readdirSync(dir.path).sort()).toEqual(['README.txt', 'minutes-2026-12-06.txt']);
  });

  it('keeps an evidence folder that holds a file, and a ledger file that was there before', () => {
    fs.writeFileSync(dir.file('ledger.db'), 'an empty ledger the copy resumes into');
    const asFound = targetAsFound(dir.path);
    fs.mkdirSync(dir.file('evidence/ab'), { recursive: true });
    fs.writeFileSync(dir.file('evidence/ab/file'), 'x');
    asFound.restore();
    expect(fs.readdirSync(dir.path).sort()).toEqual(['evidence', 'ledger.db']);
    expect(fs.existsSync(dir.file('evidence/ab/file'))).toBe(true);
  });

  it('leaves a target that is a link to a volume not mounted', () => {
    const link = dir.file('link');
    fs.symlinkSync(dir.file('volume-not-mounted'), link);
    targetAsFound(link).restore();
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
  });
});
