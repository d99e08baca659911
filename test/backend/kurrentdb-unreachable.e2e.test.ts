import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/temp-dir.ts';

/** A port nothing listens on: bound once by us, then released. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** Runs `ledger <args>` to its end with the environment given; resolves with how it ended and how long it took. */
const runLedger = (args: string[], env: Record<string, string>) =>
  new Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['bin/ledger.js', ...args], { env: { ...process.env, LEDGER_DEBUG: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });

// No KurrentDB server is needed: the point is what happens when none answers.
describe('starting on a KurrentDB that cannot be reached', () => {
  it('fails within 15 s with one line naming the address, without its password or a stack trace', async () => {
    const dir = makeTempDir();
    try {
      const port = await closedPort();
      const result = await runLedger(['serve', '--port', '0', '--no-demo'], {
        LEDGER_DATA_DIR: dir.path,
        LEDGER_STORE: `kurrentdb://admin:secret@127.0.0.1:${port}?tls=false`,
      });
      expect(result.code).not.toBe(0);
      expect(result.ms).toBeLessThan(15_000);
      const lines = result.stderr.trim().split('\n');
      expect(lines, result.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^ledger: cannot reach KurrentDB at 127\\.0\\.0\\.1:${port} within \\d+ s`));
      expect(result.stderr).not.toMatch(/secret|\n\s+at /);
      expect(result.stdout).toBe('');
    } finally {
      dir.remove();
    }
  }, 30_000);
});
