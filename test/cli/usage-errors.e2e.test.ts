import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/temp-dir.ts';

const ledgerBin = fileURLToPath(new URL('../../bin/ledger.js', import.meta.url));
const run = (args: string[]) =>
  new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = execFile(process.execPath, [ledgerBin, ...args], (_error, _stdout, stderr) => resolve({ code: child.exitCode, stderr }));
  });

describe('`ledger` usage errors (a real child process)', () => {
  it('exit 2, as the commands document, with what was wrong and the usage; help exits 0', async () => {
    const dir = makeTempDir();
    try {
      const refused: [string[], RegExp][] = [
        [['backup', '-d', dir.path], /required option '--to <dir>' not specified/],
        [['backup', '--to', dir.path, '-d', dir.path, '--keep', 'abc'], /'--keep <n>' argument 'abc' is invalid/],
        [['restore', '--from', dir.path, '--data-dir', dir.file('target'), '--bogus'], /unknown option '--bogus'/],
      ];
      for (const [args, message] of refused) {
        const { code, stderr } = await run(args);
        expect(code, args.join(' ')).toBe(2);
        expect(stderr).toMatch(message);
      }
      expect((await run(['backup', '--help'])).code).toBe(0);
    } finally {
      dir.remove();
    }
  }, 60_000);
});
