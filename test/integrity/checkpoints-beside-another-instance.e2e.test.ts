import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeyWithCli } from '../support/cli-keys.ts';
import { startLedgerProcess, stopLedgerProcess } from '../support/ledger-process.ts';
import { makeTempDir } from '../support/temp-dir.ts';

type Running = Awaited<ReturnType<typeof startLedgerProcess>>;

/** How long both instances write and sign at once: on the code this guards, the first refusal came within half a second. */
const LOAD_MS = 6_000;

/**
 * Two real `ledger serve` processes on one data dir, each appending, signing checkpoints and proving.
 * A checkpoint the other instance signed over events appended after this one last caught its tree
 * up is not a sign of truncation: signing (and an export, which signs the checkpoint it carries)
 * must look at the ledger again rather than refuse with "events were removed from the end".
 */
describe('checkpoints signed beside another instance on one data dir', () => {
  let dir: ReturnType<typeof makeTempDir>;
  const running: Running[] = [];
  beforeEach(() => {
    dir = makeTempDir('ledger-two-signers-');
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map(stopLedgerProcess));
    dir.remove();
  });

  it('are never refused as a truncated ledger while the other instance appends and signs', async () => {
    const writer = {
      authorization: `Bearer ${createKeyWithCli(dir.path, 'plan-manager', 'Dorset CCG')}`,
      'content-type': 'application/json',
    };
    const admin = { authorization: `Bearer ${createKeyWithCli(dir.path, 'admin', 'Operations')}` };
    const auditor = { authorization: `Bearer ${createKeyWithCli(dir.path, 'auditor', 'Independent inquiry')}` };
    // Each loop asks as fast as it is answered: no rate limit may refuse it first.
    const unlimited = { LEDGER_RATE_LIMIT_MAX: '1000000' };
    running.push(await startLedgerProcess(dir.path, unlimited), await startLedgerProcess(dir.path, unlimited));
    const [a, b] = running as [Running, Running];
    const registered = await fetch(`${a.url}/plans`, {
      method: 'POST',
      headers: writer,
      body: JSON.stringify({ planId: 'p', title: 'P', kind: 'other', owner: 'Dorset CCG', effectiveOn: '2015-06' }),
    });
    expect(registered.status).toBe(201);
    const { eventIds } = (await registered.json()) as { eventIds: string[] };

    let stop = false;
    const refused: string[] = [];
    const answered = (what: string, status: number, body: string) => {
      if (status >= 400) {
        refused.push(`${what} ${status}: ${body.slice(0, 300)}`);
        stop = true;
      }
    };
    const append = async (through: Running, name: string) => {
      for (let i = 0; !stop; i++) {
        const res = await fetch(`${through.url}/plans/p/sections`, {
          method: 'POST',
          headers: writer,
          body: JSON.stringify({ sectionRef: `${name}-${i}`, title: `Section ${i}` }),
        });
        answered(`append through ${name}`, res.status, await res.text());
      }
    };
    const sign = async (through: Running, name: string) => {
      while (!stop) {
        const res = await fetch(`${through.url}/ledger/checkpoints`, { method: 'POST', headers: admin });
        answered(`POST /ledger/checkpoints on ${name}`, res.status, await res.text());
      }
    };
    const exportPlan = async (through: Running, name: string) => {
      while (!stop) {
        const res = await fetch(`${through.url}/plans/p/export`, { headers: auditor });
        answered(`GET /plans/p/export on ${name}`, res.status, await res.text());
      }
    };
    // A proof is of the latest signed root by default: one the other instance may have signed a moment ago.
    const prove = async (through: Running, name: string) => {
      while (!stop) {
        const res = await fetch(`${through.url}/ledger/proofs/inclusion/${eventIds[0]}`, { headers: auditor });
        answered(`GET /ledger/proofs/inclusion on ${name}`, res.status, await res.text());
      }
    };
    await Promise.all([
      prove(a, 'a'),
      prove(b, 'b'),
      append(a, 'a'),
      append(b, 'b'),
      sign(a, 'a'),
      sign(b, 'b'),
      exportPlan(a, 'a'),
      exportPlan(b, 'b'),
      new Promise<void>((resolve) =>
        setTimeout(() => {
          stop = true;
          resolve();
        }, LOAD_MS),
      ),
    ]);
    expect(refused).toEqual([]);
    for (const instance of [a, b]) expect(instance.output()).not.toContain('events were removed from the end');

    await Promise.all(running.splice(0).map(stopLedgerProcess));
    const verify = spawnSync(process.execPath, ['bin/ledger.js', 'verify'], {
      env: { ...process.env, LEDGER_DATA_DIR: dir.path },
      encoding: 'utf8',
    });
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
  }, 120_000);
});
