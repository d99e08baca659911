import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { dataDirWithBacklog } from '../support/backlog-data-dir.ts';
import { startLedgerProcess } from '../support/ledger-process.ts';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0).reverse()) close();
});

/** `ledger serve` on a ledger whose views are still to be folded, and its address once it listens (before it serves). */
const serveWithBacklog = async () => {
  const { dir, key } = await dataDirWithBacklog('ledger-start-backlog-', 48_000);
  closers.push(() => dir.remove());
  const running = await startLedgerProcess(dir.path, {}, [], 'listening');
  closers.push(() => running.child.kill('SIGKILL'));
  return { child: running.child, address: running.url, key, output: running.output };
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
    // As long as its own wait for the fold, and the start and the serving line beside it: a loaded machine folds slower.
  }, 180_000);

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
