import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyWithCli } from '../support/cli-keys.ts';
import { startLedgerProcess } from '../support/ledger-process.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { scrape } from './scrape.ts';

const EXPECTED = [
  'ledger_http_requests_total',
  'ledger_http_request_duration_seconds',
  'ledger_append_duration_seconds',
  'ledger_append_batch_size',
  'ledger_events',
  'ledger_projection_lag_events',
  'ledger_projection_lag_seconds',
  'ledger_checkpoint_tree_size',
  'ledger_checkpoint_age_seconds',
  'ledger_checkpoint_last_signed_timestamp_seconds',
  'ledger_verify_last_run_timestamp_seconds',
  'ledger_verify_last_success',
  'ledger_access_log_backlog',
  'ledger_data_volume_free_bytes',
  'ledger_backup_last_run_timestamp_seconds',
  'ledger_backup_last_success',
  'ledger_backup_last_size_bytes',
  'process_cpu_seconds_total',
  'nodejs_eventloop_lag_seconds',
];

/** A real `ledger serve` scraped as Prometheus scrapes it; each figure is moved by doing what it measures. */
describe('GET /metrics (real service)', () => {
  const dir = makeTempDir('ledger-metrics-');
  const work = makeTempDir('ledger-metrics-work-');
  let server: Awaited<ReturnType<typeof startLedgerProcess>>;
  /** An upload abandoned hours ago: the first evidence sweep removes it, which says that sweep has run. */
  const abandoned = path.join(dir.path, 'evidence', 'staging', 'abandoned-upload.tmp');
  const keys = {} as Record<'metrics' | 'manager' | 'auditor' | 'admin', string>;
  beforeAll(async () => {
    keys.admin = createKeyWithCli(dir.path, 'admin', 'Dorset CCG');
    fs.mkdirSync(path.dirname(abandoned), { recursive: true });
    fs.writeFileSync(abandoned, 'part of an upload');
    const hoursAgo = new Date(Date.now() - 2 * 3_600_000);
    fs.utimesSync(abandoned, hoursAgo, hoursAgo);
    // No schedule: checkpoints are signed here only when asked, so their figures move on cue.
    // The evidence sweep every 15 minutes after its first, whatever this shell has set: each catches the views up.
    server = await startLedgerProcess(dir.path, {
      LEDGER_CHECKPOINT_INTERVAL_MS: '0',
      LEDGER_EVIDENCE_GRACE_MINUTES: '60',
      // Where the abandoned upload below is, whatever this shell has set.
      LEDGER_EVIDENCE_DIR: path.join(dir.path, 'evidence'),
    });
    // The other keys as an admin makes them, over the API: one CLI start is enough on a busy machine.
    for (const [name, role] of [
      ['metrics', 'metrics'],
      ['manager', 'plan-manager'],
      ['auditor', 'auditor'],
    ] as const) {
      const created = await fetch(`${server.url}/admin/keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${keys.admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `${role} for the metrics tests`, role, organisation: 'Dorset CCG' }),
      });
      keys[name] = ((await created.json()) as { key: string }).key;
    }
  }, 120_000);
  afterAll(async () => {
    if (server) {
      server.child.kill('SIGTERM');
      await once(server.child, 'exit');
    }
    dir.remove();
    work.remove();
  });
  const call = (key: string | undefined, method: string, url: string, body?: unknown) =>
    fetch(`${server.url}${url}`, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  it('refuses callers without the metrics role, and the metrics key reads nothing else', async () => {
    const anonymous = await call(undefined, 'GET', '/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    for (const key of [keys.manager, keys.auditor, keys.admin]) {
      const refused = await call(key, 'GET', '/metrics');
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ code: 'role-not-permitted' });
    }
    expect((await call(keys.metrics, 'GET', '/metrics')).status).toBe(200);
    for (const url of ['/plans', '/ledger/events', '/access-log', '/admin/keys'])
      expect((await call(keys.metrics, 'GET', url)).status).toBe(403);
  });

  it('parses as Prometheus text with every documented metric, each with help and a type', async () => {
    const s = await scrape(server.url, keys.metrics);
    expect(s.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const name of EXPECTED) expect(s.family(name).help, name).not.toBe('');
    expect(s.family('ledger_append_duration_seconds').type).toBe('HISTOGRAM');
    expect(s.family('ledger_http_requests_total').type).toBe('COUNTER');
    const stats = fs.statfsSync(dir.path);
    const free = Number(stats.bavail) * Number(stats.bsize);
    expect(Math.abs(s.value('ledger_data_volume_free_bytes') - free)).toBeLessThan(Math.max(free * 0.05, 256 * 1024 * 1024));
    expect(s.value('ledger_access_log_backlog')).toBe(0);
  });

  it('an append moves the append latency, the group-commit batch, the request counters and the event count', async () => {
    const before = await scrape(server.url, keys.metrics);
    const plan = { planId: 'dorset', title: 'Dorset', kind: 'other', owner: 'Dorset CCG', effectiveOn: '2015-03' };
    expect((await call(keys.manager, 'POST', '/plans', plan)).status).toBe(201);
    const after = await scrape(server.url, keys.metrics);
    expect(after.count('ledger_append_duration_seconds')).toBe(before.count('ledger_append_duration_seconds') + 1);
    expect(after.count('ledger_append_batch_size')).toBeGreaterThan(before.count('ledger_append_batch_size'));
    expect(after.value('ledger_events')).toBe(before.value('ledger_events') + 1);
    const created = { method: 'POST', route: '/plans', status: '201' };
    expect(after.value('ledger_http_requests_total', created)).toBe(before.value('ledger_http_requests_total', created) + 1);
    expect(after.text).toMatch(/^ledger_http_request_duration_seconds_count\{method="POST",route="\/plans",status="201"\} 1$/m);
    // The scrapes themselves are counted, but never written to the access log one by one.
    const log = (await (await call(keys.auditor, 'GET', '/access-log?limit=1000')).json()) as { entries: { route: string }[] };
    expect(log.entries.filter((e) => e.route === '/metrics')).toEqual([]);
  });

  it('follows writes by another process on the ledger: the projection lag is back to 0 without any read asking for them', async () => {
    // (The lag's figures while a projection is behind: test/metrics/state-gauges.int.test.ts.)
    // The evidence sweep, 5 s after start, catches the views up before it looks for unreferenced
    // files; past it, nothing else does for 15 minutes: only following the ledger can catch up here.
    const swept = Date.now() + 60_000;
    while (fs.existsSync(abandoned) && Date.now() < swept) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fs.existsSync(abandoned), 'the first evidence sweep has run').toBe(false);
    const before = await scrape(server.url, keys.metrics);
    const imported = spawnSync(
      process.execPath,
      ['bin/ledger.js', 'import', 'examples/plans/recommendation-actions-progress-update-2022.txt', '-d', dir.path],
      { encoding: 'utf8' },
    );
    expect(imported.status, imported.stderr).toBe(0);
    const deadline = Date.now() + 10_000;
    let now = await scrape(server.url, keys.metrics);
    while (now.value('ledger_projection_lag_events', { projection: 'plan-status' }) > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      now = await scrape(server.url, keys.metrics);
    }
    expect(now.value('ledger_events')).toBeGreaterThan(before.value('ledger_events'));
    expect(now.value('ledger_projection_lag_events', { projection: 'plan-status' })).toBe(0);
    expect(now.value('ledger_projection_lag_seconds', { projection: 'plan-status' })).toBe(0);
  }, 90_000);

  it('a signed checkpoint, a verification and a backup each move their figures', async () => {
    const before = await scrape(server.url, keys.metrics);
    expect(before.value('ledger_checkpoint_tree_size')).toBe(0);
    expect(before.value('ledger_checkpoint_age_seconds')).toBe(Number.POSITIVE_INFINITY);
    expect(before.value('ledger_verify_last_run_timestamp_seconds')).toBe(0);
    expect(before.value('ledger_backup_last_run_timestamp_seconds')).toBe(0);

    expect((await call(keys.admin, 'POST', '/ledger/checkpoints')).status).toBe(201);
    const signed = await scrape(server.url, keys.metrics);
    expect(signed.value('ledger_checkpoint_tree_size')).toBe(signed.value('ledger_events'));
    expect(signed.value('ledger_checkpoint_age_seconds')).toBeLessThan(60);

    const startedAt = Date.now() / 1000;
    expect((await call(keys.auditor, 'GET', '/ledger/verify')).status).toBe(200);
    const verified = await scrape(server.url, keys.metrics);
    expect(verified.value('ledger_verify_last_run_timestamp_seconds')).toBeGreaterThanOrEqual(Math.floor(startedAt));
    expect(verified.value('ledger_verify_last_success')).toBe(1);

    const backup = spawnSync(process.execPath, ['bin/ledger.js', 'backup', '-d', dir.path, '--to', work.path], { encoding: 'utf8' });
    expect(backup.status, backup.stderr).toBe(0);
    const backedUp = await scrape(server.url, keys.metrics);
    expect(backedUp.value('ledger_backup_last_success')).toBe(1);
    expect(backedUp.value('ledger_backup_last_run_timestamp_seconds')).toBeGreaterThan(
      verified.value('ledger_verify_last_run_timestamp_seconds'),
    );
    expect(backedUp.value('ledger_backup_last_size_bytes')).toBeGreaterThan(0);
  }, 90_000);
});
