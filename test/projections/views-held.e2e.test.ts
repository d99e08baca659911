import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { viewsHeld } from '../../projections/runner/sqlite/views-held.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const viewsHeldModule = fileURLToPath(new URL('../../projections/runner/sqlite/views-held.ts', import.meta.url));
let dir: ReturnType<typeof makeTempDir> | undefined;
afterEach(() => dir?.remove());

/** Another process that holds the views of `projection` at `version`, as a running instance does, until it is killed. */
const holder = async (readStoreFile: string, projection: string, version: number) => {
  const code = `const { holdViews } = await import(${JSON.stringify(viewsHeldModule)});
holdViews(${JSON.stringify(readStoreFile)}, ${JSON.stringify(projection)}, ${version});
console.log('held');
setInterval(() => {}, 60_000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('held') && resolve());
    child.once('exit', (status) => reject(new Error(`the holder exited ${status}`)));
  });
  return child;
};

describe('which release folds a shared read store (real processes)', () => {
  it("another process's hold is seen while it runs and let go when it is killed, with no chance to clean up", async () => {
    dir = makeTempDir('ledger-held-');
    const readStoreFile = dir.file('read-models.db');
    const child = await holder(readStoreFile, 'plan-status', 7);
    try {
      expect(viewsHeld(readStoreFile, 'plan-status', 7)).toBe(true);
      expect(viewsHeld(readStoreFile, 'plan-status', 8)).toBe(false);
    } finally {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    expect(viewsHeld(readStoreFile, 'plan-status', 7)).toBe(false);
  });
});
