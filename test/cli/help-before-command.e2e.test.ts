import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../../src/cli/main.ts';

const ledgerBin = fileURLToPath(new URL('../../bin/ledger.js', import.meta.url));
const run = (args: string[]) =>
  new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = execFile(process.execPath, [ledgerBin, ...args], (_error, stdout, stderr) =>
      resolve({ code: child.exitCode, output: stdout + stderr }),
    );
  });

/**
 * `ledger` loads only the module of the command a command line names. An option before that name
 * is the program's own (its help) or one it does not know, and either prints the program's help:
 * a list of every command, not only the one named after it.
 */
describe('an option before the command (a real child process)', () => {
  it("prints the program's help listing every command", async () => {
    for (const [args, code] of [
      [['-h', 'view'], 0],
      [['--help', 'keys'], 0],
      [['--bogus', 'view'], 2],
    ] as const) {
      const run1 = await run([...args]);
      expect(run1.code, args.join(' ')).toBe(code);
      for (const name of COMMAND_NAMES) expect(run1.output, `${args.join(' ')}: ${name}`).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    }
  }, 60_000);
});
