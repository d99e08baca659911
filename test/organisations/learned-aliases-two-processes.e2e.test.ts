import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openLearnedAliasFile } from '../../src/organisations/learned-alias-file.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const learnedAliasModule = fileURLToPath(new URL('../../src/organisations/learned-alias-file.ts', import.meta.url));
let dir: ReturnType<typeof makeTempDir> | undefined;
afterEach(() => dir?.remove());

/** Another process learning `count` organisations into the data dir's file one by one, as `ledger import` learns them. */
const learner = async (dataDir: string, who: string, count: number) => {
  const code = `const { openLearnedAliasFile } = await import(${JSON.stringify(learnedAliasModule)});
const store = openLearnedAliasFile(${JSON.stringify(dataDir)});
for (let i = 0; i < ${count}; i++) await store.learn([{ name: 'Trust ${who} ' + i, aliases: ['T${who}' + i] }]);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const [status] = await once(child, 'exit');
  return status as number | null;
};

describe('organisations learned into one data dir by several processes (real processes)', () => {
  it('keeps every name each process learned when they learn at the same time', async () => {
    dir = makeTempDir('ledger-learned-');
    const count = 200;
    const statuses = await Promise.all([learner(dir.path, 'a', count), learner(dir.path, 'b', count)]);
    expect(statuses).toEqual([0, 0]);
    const learned = openLearnedAliasFile(dir.path).current().organisations;
    const names = new Set(learned.map((o) => o.name));
    // Before the lock, each process wrote back the file it had read plus its own name, and the other's names since were lost.
    for (const who of ['a', 'b']) for (let i = 0; i < count; i++) expect(names.has(`Trust ${who} ${i}`), `Trust ${who} ${i}`).toBe(true);
    expect(learned).toHaveLength(2 * count);
  }, 60_000);
});
