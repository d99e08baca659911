import { once } from 'node:events';
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { generatePlanLedger } from '../support/plan-ledger-generator.ts';
import { createKeyWithCli } from '../support/cli-keys.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0).reverse()) close();
});

/** `ledger serve` on a ledger whose views are still to be folded, and its address once it listens (before it serves). */
const serveWithBacklog = async () => {
  const dir = makeTempDir('ledger-start-backlog-');
  closers.push(() => dir.remove());
  const store = openSqliteEventStore({ file: dir.file('ledger.db') });
  await generatePlanLedger(store, { events: 48_000, plans: 12, perAppend: 400 });
  await store.close();
  const key = createKeyWithCli(dir.path, 'viewer', 'Dorset CCG');
  const child = spawn(process.execPath, ['bin/ledger.js', 'serve', '--port', '0'], {
    env: { ...process.env, LEDGER_DATA_DIR: dir.path, LOG_LEVEL: 'info', LEDGER_DEMO_DATA: 'false' },
  });
  closers.push(() => child.kill('SIGKILL'));
  let output = '';
  const address = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /"address":"(http:\/\/[^"]+)"/.exec(output);
      if (listening) resolve(listening[1]!);
    });
    child.once('exit', (code) => reject(new Error(`ledger exited ${code}: ${output}`)));
  });
  return { child, address, key, output: () => output };
};

describe('ledger serve on a ledger whose views are still to be folded (real process)', () => {
  it('answers /health at once and /ready 503 starting while it folds, then serves every route', async () => {
    const { address, key, output } = await serveWithBacklog();
    const ready = await fetch(`${address}/ready`);
    expect(ready.status, output()).toBe(503);
    expect(await ready.json()).toMatchObject({ code: 'starting' });
    expect((await fetch(`${address}/health`)).status).toBe(200);
    expect((await fetch(`${address}/plans`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(503);
    // Ready by itself once the views are folded to the head, and the lists then hold every plan.
    let status = 503;
    for (const began = Date.now(); status === 503 && Date.now() - began < 120_000;) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      status = (await fetch(`${address}/ready`)).status;
    }
    expect(status, output()).toBe(200);
    // The log says when it serves (a moment after it is ready: the line is written once the start has returned).
    await expect.poll(output, { timeout: 10_000 }).toContain('"msg":"assurance ledger serving"');
    const plans = await fetch(`${address}/plans?limit=100`, { headers: { authorization: `Bearer ${key}` } });
    expect(((await plans.json()) as { plans: unknown[] }).plans).toHaveLength(12);
  });

  it('stops on SIGTERM part way through the fold, exiting 0 without having served', async () => {
    const { child, address, output } = await serveWithBacklog();
    expect((await (await fetch(`${address}/ready`)).json()).code).toBe('starting');
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code, output()).toBe(0);
    expect(output()).toContain('"msg":"stopped"');
    expect(output()).not.toContain('assurance ledger serving');
  });
});
