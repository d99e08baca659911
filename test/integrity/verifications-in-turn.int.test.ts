import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { createKeyWithCli } from '../support/cli-keys.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { verificationsInTurn } from '../../src/integrity/verifications-in-turn.ts';
import { seedPlans, useLedger } from './ledger-fixture.ts';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { makeEvents } from '../support/events.ts';
import { webSession } from '../support/web-session.ts';
import type { VerifyReport } from '../../src/integrity/verify-report.ts';

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/**
 * A served ledger with a plan of a few actions, and keys to write and to verify. `bulk` events appended before it starts
 * (to a stream of no plan) make each verification take long enough, a few tenths of a second, for requests sent
 * together to reach it while one runs.
 */
const servedLedger = async (bulk = 0) => {
  const dir = makeTempDir('ledger-verify-turn-');
  closers.push(() => dir.remove());
  const keys = { manager: createKeyWithCli(dir.path, 'plan-manager', 'SWASFT'), auditor: createKeyWithCli(dir.path, 'auditor', 'SWASFT') };
  const store = openSqliteEventStore({ file: `${dir.path}/ledger.db` });
  for (let i = 0; i < bulk / 50; i++)
    await store.append({ stream: 'bulk', events: makeEvents(50, `bulk-${i}`), expectedRevision: 'any', commandId: `bulk-${i}` });
  await store.close();
  const config = loadConfig({
    LEDGER_DATA_DIR: dir.path,
    PORT: '0',
    LOG_LEVEL: 'silent',
    LEDGER_DEMO_DATA: 'false',
    LEDGER_CHECKPOINT_INTERVAL_MS: '0',
  });
  const server: RunningServer = await startServer(config, () => undefined);
  closers.push(() => server.stop('test done'));
  const post = async (url: string, body: object) => {
    const res = await fetch(`${server.url}${url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.manager}` },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.clone().text()).toBe(201);
  };
  await post('/plans', { planId: 'pfd-2022', title: 'Response to a report', kind: 'other', owner: 'SWASFT' });
  for (const ref of ['1', '2', '3'])
    await post('/plans/pfd-2022/actions', {
      ref,
      text: `Action ${ref}`,
      leadOrganisations: ['SWAST'],
      due: { kind: 'date', date: '2030-06' },
    });
  const verify = async (query = '') => {
    const res = await fetch(`${server.url}/ledger/verify${query}`, { headers: { authorization: `Bearer ${keys.auditor}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as { ok: boolean; eventsChecked: number; backendChecks?: string[] };
  };
  /** The verifications the instance ran, as it recorded them for every instance and /metrics to read. */
  const runs = () => {
    const db = new Database(`${dir.path}/operations.db`, { readonly: true });
    try {
      return db
        .prepare<[], { started_at: string; finished_at: string }>(
          "SELECT started_at, finished_at FROM operation_runs WHERE kind = 'verify'",
        )
        .all();
    } finally {
      db.close();
    }
  };
  return { server, post, verify, runs, auditor: keys.auditor };
};

describe('verifications asked of one instance', () => {
  const ctx = useLedger();

  it('are run one at a time, those asked before one begins sharing it, and each answer from a run begun after it was asked', async () => {
    await seedPlans(ctx.store, 4);
    let begun = 0;
    let running = 0;
    const inTurn = verificationsInTurn(async (...args) => {
      begun++;
      expect(++running, 'two verifications at once').toBe(1);
      try {
        return await ctx.ledger.verify(...args);
      } finally {
        running--;
      }
    });
    // Asked together: one run.
    const together = await Promise.all(Array.from({ length: 6 }, () => inTurn()));
    expect(together.map((r) => [r.ok, r.eventsChecked])).toEqual(Array(6).fill([true, 12]));
    expect(begun).toBe(1);
    // One under way, then a write, then three asked: they share the next run, which sees the write.
    const first = inTurn();
    await new Promise((resolve) => setImmediate(resolve));
    expect(begun).toBe(2);
    await seedPlans(ctx.store, 1, 'later');
    const after = await Promise.all([inTurn(), inTurn(), inTurn()]);
    expect((await first).eventsChecked).toBe(12);
    expect(after.map((r) => [r.ok, r.eventsChecked])).toEqual(Array(3).fill([true, 18]));
    expect(begun).toBe(3);
  });

  it('share a run that fails: each of those sharing it is told, and the next run begins', async () => {
    await seedPlans(ctx.store, 2);
    let calls = 0;
    const inTurn = verificationsInTurn(async (...args) => {
      if (++calls === 1) throw new Error('the disk went away');
      return ctx.ledger.verify(...args);
    });
    const failed = await Promise.allSettled([inTurn(), inTurn()]);
    expect(failed.map((f) => f.status)).toEqual(['rejected', 'rejected']);
    expect((await inTurn()).ok).toBe(true);
    expect(calls).toBe(2);
  });

  it('give a caller watching progress a run of its own, in turn with the rest', async () => {
    await seedPlans(ctx.store, 2);
    let begun = 0;
    const inTurn = verificationsInTurn(async (...args) => {
      begun++;
      return ctx.ledger.verify(...args);
    });
    const progress: number[] = [];
    const answers: VerifyReport[] = await Promise.all([inTurn(), inTurn((checked) => void progress.push(checked)), inTurn()]);
    expect(answers.every((a) => a.ok)).toBe(true);
    expect(begun).toBe(2);
    expect(progress.length).toBeGreaterThan(0);
  });

  it('through the server: requests sent together are answered by at most two runs, never two at once', async () => {
    const { verify, runs } = await servedLedger(10_000);
    const answers = await Promise.all(Array.from({ length: 4 }, () => verify()));
    expect(answers.map((a) => [a.ok, a.eventsChecked])).toEqual(Array(4).fill([true, 10_004]));
    const ran = runs().sort((a, b) => a.started_at.localeCompare(b.started_at));
    expect(ran.length).toBeLessThanOrEqual(2);
    for (let i = 1; i < ran.length; i++) expect(ran[i]!.started_at >= ran[i - 1]!.finished_at).toBe(true);
  });

  it("through the server: the integrity page's Verify now shares the queue, and says how long its run took and how long it waited", async () => {
    const { server, verify, runs, auditor } = await servedLedger(20_000);
    const page = await webSession(server.url, auditor);
    // A verification under way (through the API), then Verify now: its run begins once that one ends.
    const underWay = verify();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const res = await fetch(`${server.url}/web/integrity/verify`, { headers: page, redirect: 'manual' });
    const html = await res.text();
    expect(res.status, html.slice(0, 300)).toBe(200);
    expect((await underWay).ok).toBe(true);
    const [first, second] = runs().sort((a, b) => a.started_at.localeCompare(b.started_at));
    expect(second!.started_at >= first!.finished_at).toBe(true);
    const ran = (Date.parse(second!.finished_at) - Date.parse(second!.started_at)) / 1000;
    const said = /checked in ([\d.]+) seconds, after ([\d.]+) seconds waiting for a verification already under way to end\./.exec(html);
    expect(said, html.slice(html.indexOf('nhsuk-panel'), html.indexOf('nhsuk-panel') + 400)).not.toBeNull();
    // The run's own time, not the wait with it: within the rounding and the moment it took to record it.
    expect(Math.abs(Number(said![1]) - ran)).toBeLessThan(0.3);
    expect(Number(said![2])).toBeGreaterThan(0);
    // The integrity page then says what the last run found and how long it took, before anyone asks for another.
    const integrity = await (await fetch(`${server.url}/web/integrity`, { headers: page })).text();
    expect(integrity).toMatch(/id="last-verification">The last verification of this ledger began .+ and took [\d.]+ seconds: it held/);
  });

  it('through the server: a write made while one ran is in the next answer', async () => {
    const { post, verify, runs } = await servedLedger();
    const before = await verify();
    const first = verify();
    // Recorded while the first verification may still be under way, then asked about.
    await post('/plans/pfd-2022/actions', {
      ref: '4',
      text: 'Action 4',
      leadOrganisations: ['SWAST'],
      due: { kind: 'date', date: '2030-06' },
    });
    const second = verify();
    const [a, b] = await Promise.all([first, second]);
    expect(a.ok && b.ok).toBe(true);
    expect(b.eventsChecked).toBe(before.eventsChecked + 1);
    expect(runs().length).toBeGreaterThanOrEqual(2);
  });

  it('through the server: a quick storage check is answered by a quick one and a full by a full, asked together', async () => {
    const { verify } = await servedLedger();
    const depths = ['quick', 'full', 'quick', 'full'] as const;
    const answers = await Promise.all(depths.map((depth) => verify(`?storageCheck=${depth}`)));
    for (const [i, answer] of answers.entries()) {
      expect(answer.ok).toBe(true);
      expect(answer.backendChecks?.join(' '), depths[i]).toContain(depths[i] === 'quick' ? 'quick_check' : 'integrity_check');
    }
  });
});
