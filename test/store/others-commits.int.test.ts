import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { watchOthersCommits } from '../../src/store/sqlite/others-commits.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const dirs: ReturnType<typeof makeTempDir>[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});

/** Two connections to one file: one watched, one standing for another process that commits. */
const twoConnections = () => {
  const dir = makeTempDir();
  dirs.push(dir);
  const watched = new Database(dir.file('shared.db'));
  watched.pragma('journal_mode = WAL');
  watched.exec('CREATE TABLE t (n INTEGER)');
  const other = new Database(dir.file('shared.db'));
  return { watched, commit: () => other.prepare('INSERT INTO t VALUES (1)').run(), close: () => (other.close(), watched.close()) };
};
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("watching other processes' commits to the ledger file", () => {
  it('reports the failures of its looks at most once a minute, and tells a commit whose telling failed at a later look', async () => {
    const { watched, commit, close } = twoConnections();
    let now = 0;
    let failing = true;
    const reported: unknown[] = [];
    const heard: number[] = [];
    const watch = watchOthersCommits(
      watched,
      2,
      () => {
        if (failing) throw new Error('the head could not be read');
        heard.push(now);
      },
      (error) => reported.push(error),
      () => now,
    );
    watch.start();
    const commitsFor = async (ms: number) => {
      for (const end = Date.now() + ms; Date.now() < end;) {
        commit();
        await wait(5);
      }
    };
    await commitsFor(150);
    expect(reported).toHaveLength(1);
    now += 59_000;
    await commitsFor(60);
    expect(reported).toHaveLength(1);
    now += 1_000;
    await commitsFor(60);
    expect(reported).toHaveLength(2);
    // Looks that succeed in between change nothing, and the commits are heard again.
    failing = false;
    await commitsFor(60);
    expect(heard.length).toBeGreaterThan(0);
    failing = true;
    await commitsFor(60);
    expect(reported).toHaveLength(2);
    now += 60_000;
    await commitsFor(60);
    expect(reported).toHaveLength(3);
    // A commit whose telling failed is told at a later look, with no commit after it.
    failing = false;
    const told = heard.length;
    await wait(30);
    expect(heard.length).toBe(told + 1);
    watch.stop();
    close();
  });
});
