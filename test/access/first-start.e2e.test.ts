import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/temp-dir.ts';

const bin = fileURLToPath(new URL('../../bin/ledger.js', import.meta.url));
const KEY = /al_[0-9a-f]{16}_[A-Za-z0-9_-]{43}/g;

/** Runs `ledger serve` on a free port until it logs that it listens, then stops it with SIGTERM; returns everything it wrote. */
const serveOnce = (dataDir: string, probe: (url: string) => Promise<unknown> = (url) => fetch(`${url}/health`)) =>
  new Promise<{ stdout: string; url: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--data-dir', dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'info' },
    });
    let stdout = '';
    let url = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const listening = /"url":"(http:\/\/[^"]+)"/.exec(stdout);
      if (listening && !url) {
        url = listening[1]!;
        probe(url).then(
          () => child.kill('SIGTERM'),
          (error: unknown) => {
            child.kill('SIGTERM');
            reject(error);
          },
        );
      }
    });
    child.on('error', reject);
    child.on('exit', () => (url ? resolve({ stdout, url }) : reject(new Error(`server never listened:\n${stdout}`))));
  });

describe('first start (the real `ledger serve` process)', () => {
  let dir: ReturnType<typeof makeTempDir>;
  afterEach(() => dir?.remove());

  it('prints one admin key once, in plain text and never in the JSON log, and not again on the next start', async () => {
    dir = makeTempDir();
    const first = await serveOnce(dir.path);
    const keys = first.stdout.match(KEY) ?? [];
    expect(keys).toHaveLength(1);
    const jsonLines = first.stdout.split('\n').filter((l) => l.startsWith('{'));
    expect(jsonLines.length).toBeGreaterThan(0);
    expect(jsonLines.some((l) => l.includes(keys[0]!))).toBe(false);
    expect(jsonLines.some((l) => l.includes('first start: created an admin key'))).toBe(true);

    let status = 0;
    const second = await serveOnce(dir.path, async (url) => {
      status = (await fetch(`${url}/admin/keys`, { headers: { authorization: `Bearer ${keys[0]}` } })).status;
    });
    expect(second.stdout.match(KEY)).toBeNull();
    // The printed key is the admin key: it works on the next start.
    expect(status).toBe(200);
  });
});
