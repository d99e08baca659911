import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/**
 * Starts the real `ledger serve` as a user would, on a free port, and resolves once it
 * logs where it listens. `output()` is everything it has printed so far (JSON log and all).
 */
export const startLedgerProcess = async (dataDir: string, env: Record<string, string> = {}, args: string[] = []) => {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['bin/ledger.js', 'serve', '--port', '0', ...args], {
    env: { ...process.env, LEDGER_DATA_DIR: dataDir, LOG_LEVEL: 'info', LEDGER_DEMO_DATA: 'false', ...env },
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
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
