import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { createKeyWithCli } from '../support/cli-keys.ts';
import { startLedgerProcess } from '../support/ledger-process.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const WRITES = 80;

describe('two service processes on one data directory', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    dir = makeTempDir('ledger-two-services-');
  });
  afterEach(() => dir.remove());

  // Two servers, the CLI that makes the key and the CLI that verifies are real processes: on a busy machine
  // starting them alone can take most of the default 30 s, so this test gets more (a budget, not a target).
  it('accept every one of many concurrent writes to one plan without If-Match, retrying when the other process appended first', async () => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${createKeyWithCli(dir.path, 'plan-manager', 'Trust')}` };
    const first = await startLedgerProcess(dir.path);
    const second = await startLedgerProcess(dir.path);
    const services = [first, second];
    try {
      const post = (url: string, path: string, body: unknown) =>
        fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      expect((await post(first.url, '/plans', { planId: 'p', title: 'P', kind: 'other', owner: 'Trust' })).status).toBe(201);

      // Both processes append to the same plan at once: each serialises its own writes, so
      // every conflict is with the other process, and neither client sent an If-Match.
      const answers = await Promise.all(
        Array.from({ length: WRITES }, async (_, i) => {
          const response = await post(services[i % 2]!.url, '/plans/p/sections', { sectionRef: `s${i}`, title: `Section ${i}` });
          return { status: response.status, body: await response.text() };
        }),
      );
      const refused = answers.filter((a) => a.status !== 201);
      expect(refused, JSON.stringify(refused.slice(0, 3))).toEqual([]);
    } finally {
      for (const service of services) {
        service.child.kill('SIGTERM');
        const [code] = await once(service.child, 'exit');
        expect(code, service.output()).toBe(0);
      }
    }

    const store = openSqliteEventStore({ file: `${dir.path}/ledger.db` });
    try {
      expect(await store.count()).toBe(1 + WRITES);
    } finally {
      await store.close();
    }
    const verify = spawnSync(process.execPath, ['bin/ledger.js', 'verify'], {
      env: { ...process.env, LEDGER_DATA_DIR: dir.path },
      encoding: 'utf8',
    });
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
  }, 120_000);
});
