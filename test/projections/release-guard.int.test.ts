import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { planStatusProjection } from '../../projections/plan-status/projection.ts';
import { createReleaseGuard } from '../../projections/runner/release-guard.ts';
import { openReadStore } from '../../projections/runner/sqlite/read-store.ts';
import { holdViews, viewsHeld } from '../../projections/runner/sqlite/views-held.ts';
import { makeTempDir } from '../support/temp-dir.ts';

let dir: ReturnType<typeof makeTempDir> | undefined;
afterEach(() => dir?.remove());
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const { name, version } = planStatusProjection;

describe('which release folds a shared read store', () => {
  it('a held file looks held to every process, even one a person switched to WAL, and free once let go', () => {
    dir = makeTempDir('ledger-held-');
    const readStoreFile = dir.file('read-models.db');
    holdViews(readStoreFile, name, version).release();
    const file = path.join(`${readStoreFile}.held`, `${name}.v${version}`);
    const byHand = new Database(file);
    byHand.pragma('journal_mode = WAL');
    byHand.close();
    const hold = holdViews(readStoreFile, name, version);
    expect(viewsHeld(readStoreFile, name, version)).toBe(true);
    expect(viewsHeld(readStoreFile, name, version + 1)).toBe(false);
    hold.release();
    expect(viewsHeld(readStoreFile, name, version)).toBe(false);
  });

  it.each(['EPERM', 'ENOSYS'])(
    'on a file system that makes no hard links (%s), the file is renamed into place already held, and nothing is left aside',
    (code) => {
      dir = makeTempDir('ledger-held-');
      const readStoreFile = dir.file('read-models.db');
      const link = vi.spyOn(fs, 'linkSync').mockImplementation(() => {
        throw Object.assign(new Error(`link refused (${code})`), { code });
      });
      // What is renamed in is locked already: no one can find the file under its name unlocked.
      const lockedWhenRenamed: boolean[] = [];
      const rename = fs.renameSync;
      const renameSpy = vi.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
        const look = new Database(String(from), { timeout: 0, fileMustExist: true });
        try {
          look.exec('BEGIN EXCLUSIVE');
          look.exec('ROLLBACK');
          lockedWhenRenamed.push(false);
        } catch {
          lockedWhenRenamed.push(true);
        } finally {
          look.close();
        }
        rename(from, to);
      });
      try {
        const hold = holdViews(readStoreFile, name, version);
        expect(link).toHaveBeenCalled();
        expect(lockedWhenRenamed).toEqual([true]);
        expect(viewsHeld(readStoreFile, name, version)).toBe(true);
        expect(fs.readdirSync(`${readStoreFile}.held`)).toEqual([`${name}.v${version}`]);
        expect(fs.statSync(path.join(`${readStoreFile}.held`, `${name}.v${version}`), { bigint: true }).ino).toBe(hold.inode);
        hold.release();
        expect(viewsHeld(readStoreFile, name, version)).toBe(false);
      } finally {
        link.mockRestore();
        renameSpy.mockRestore();
      }
    },
  );

  it('holds its file again when it is removed while the process runs, and reports a look that fails without throwing it', async () => {
    dir = makeTempDir('ledger-held-');
    const readStore = openReadStore(dir.file('read-models.db'));
    const errors: unknown[] = [];
    // A newer release keeps the views, and runs.
    const newer = holdViews(readStore.file, name, version + 1);
    readStore.reset(name, version + 1, true);
    const guard = createReleaseGuard({
      readStore,
      projections: [planStatusProjection],
      lookAgainMs: 10,
      onError: (error) => errors.push(error),
      onViewsDropped: () => undefined,
      busy: () => false,
      takeOver: async () => {
        throw new Error('no take-over while the newer release runs');
      },
    });
    try {
      expect(guard.open(planStatusProjection, false)).toBe('standAside');
      expect(errors).toHaveLength(1);
      // Its own file removed (a person tidying the data dir): held again at the next look.
      fs.rmSync(`${readStore.file}.held/${name}.v${version}`);
      await sleep(100);
      expect(viewsHeld(readStore.file, name, version)).toBe(true);
      // The newer release's file cannot be opened to look (here a directory stands in its place): still taken as held.
      newer.release();
      fs.rmSync(`${readStore.file}.held/${name}.v${version + 1}`);
      fs.mkdirSync(`${readStore.file}.held/${name}.v${version + 1}`);
      await sleep(200);
      expect(guard.standingAside()).toContain(`at version ${version + 1}`);
      expect(errors).toHaveLength(2);
      expect(String(errors[1])).toMatch(/unable to open|directory/i);
    } finally {
      guard.release();
      readStore.close();
    }
  });

  it('two instances of one release whose files were removed both hold the one file made again: it looks held while either runs', async () => {
    dir = makeTempDir('ledger-held-');
    const readStore = openReadStore(dir.file('read-models.db'));
    const guard = () =>
      createReleaseGuard({
        readStore,
        projections: [planStatusProjection],
        lookAgainMs: 10,
        onError: (error) => {
          throw error;
        },
        onViewsDropped: () => undefined,
        busy: () => false,
        takeOver: async () => undefined,
      });
    const [a, b] = [guard(), guard()];
    try {
      expect(a.open(planStatusProjection, false)).toBe('reset');
      b.open(planStatusProjection, false);
      fs.rmSync(`${readStore.file}.held`, { recursive: true });
      await sleep(150);
      a.release();
      expect(viewsHeld(readStore.file, name, version)).toBe(true);
      b.release();
      expect(viewsHeld(readStore.file, name, version)).toBe(false);
    } finally {
      a.release();
      b.release();
      readStore.close();
    }
  });
});
