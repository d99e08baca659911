import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/** The log line each wait resolves on, and where it names the address: serving (every route), or listening (its start still folding). */
const LINES = { serving: /"url":"(http:\/\/[^"]+)"/, listening: /"address":"(http:\/\/[^"]+)"/ } as const;

/**
 * Starts the real `ledger serve` as a user would, on a free port, and resolves once it
 * logs that it serves (or, `until: 'listening'`, that it listens, its start still folding its
 * views). `output()` is everything it has printed so far (JSON log and all).
 */
export const startLedgerProcess = async (
  dataDir: string,
  env: Record<string, string> = {},
  args: string[] = [],
  until: keyof typeof LINES = 'serving',
) => {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['bin/ledger.js', 'serve', '--port', '0', ...args], {
    env: { ...process.env, LEDGER_DATA_DIR: dataDir, LOG_LEVEL: 'info', LEDGER_DEMO_DATA: 'false', ...env },
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = LINES[until].exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`ledger exited ${code}: ${output}`)));
  });
  return { child, url, output: () => output };
};

/** Stops a process startLedgerProcess started, as an operator would (SIGTERM), and resolves once it has exited. */
export const stopLedgerProcess = (running: Awaited<ReturnType<typeof startLedgerProcess>>): Promise<void> =>
  new Promise<void>((resolve) => {
    if (running.child.exitCode !== null) return resolve();
    running.child.once('exit', () => resolve());
    running.child.kill('SIGTERM');
  });
