import { generateKeyPairSync } from 'node:crypto';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectKurrentDB } from '../../src/store/kurrentdb/connection.ts';
import { startLedgerProcess } from '../support/ledger-process.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import type { LedgerNames } from '../../src/store/kurrentdb/stream-names.ts';
import { freshLedgerNames, ledgerStoreSetting, serverUrl } from './server.ts';

type Instance = Awaited<ReturnType<typeof startLedgerProcess>>;

const call = async (instance: Instance, key: string | undefined, method: string, path: string, body?: unknown) => {
  const response = await fetch(`${instance.url}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text.length > 0 ? (JSON.parse(text) as Record<string, unknown>) : {} };
};

/** Runs `ledger <args>` as an operator on one instance's machine (its data dir, the shared store) to its end. */
const runLedger = (args: string[], env: Record<string, string>) =>
  new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, ['bin/ledger.js', ...args], { env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });

/**
 * Two real `ledger serve` processes on one KurrentDB ledger behave as one service. Each has
 * its own data dir (position index, read models, kept checkpoint); they share the engine and
 * one signing key, as two containers of docker-compose.yml's two-instances profile do.
 */
export const describeTwoInstances = () =>
  describe('two ledger instances on one KurrentDB', () => {
    // Made in beforeAll, not while the suite is collected: without a server nothing here runs.
    let dirs: ReturnType<typeof makeTempDir>[] = [];
    let names: LedgerNames;
    let envA: Record<string, string>;
    let planId: string;
    let a: Instance;
    let b: Instance;
    let admin: string;
    let manager: string;
    let auditor: string;

    beforeAll(async () => {
      dirs = [makeTempDir('ledger-a-'), makeTempDir('ledger-b-'), makeTempDir('ledger-keys-')];
      names = freshLedgerNames();
      planId = `two-${names.namespace}`;
      const keyFile = dirs[2]!.file('ledger-signing-key.pem');
      const shared = { LEDGER_STORE: ledgerStoreSetting(names), LEDGER_SIGNING_KEY_FILE: keyFile };
      // No scheduled signing: each instance signs when asked (POST /ledger/checkpoints), so the test knows who signed what.
      envA = { ...shared, LEDGER_DATA_DIR: dirs[0]!.path, LEDGER_CHECKPOINT_INTERVAL_MS: '0' };
      const envB = { ...shared, LEDGER_DATA_DIR: dirs[1]!.path, LEDGER_CHECKPOINT_INTERVAL_MS: '0' };
      fs.writeFileSync(keyFile, generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
      a = await startLedgerProcess(envA['LEDGER_DATA_DIR']!, envA);
      b = await startLedgerProcess(envB.LEDGER_DATA_DIR, envB);
      // A fresh ledger: the first instance to start made the one admin key and printed it.
      admin = /\b(al_[0-9a-f]{16}_[A-Za-z0-9_-]{43})\b/.exec(a.output())![1]!;
      const key = async (role: string) =>
        (await call(a, admin, 'POST', '/admin/keys', { name: `Two-instance ${role}`, role, organisation: 'Poole Borough Council' })).body[
          'key'
        ] as string;
      manager = await key('plan-manager');
      auditor = await key('auditor');
    }, 60_000);

    afterAll(async () => {
      for (const instance of [a, b]) {
        if (!instance) continue;
        const exited = new Promise((resolve) => instance.child.once('exit', resolve));
        instance.child.kill('SIGTERM');
        await exited;
      }
      for (const dir of dirs) dir.remove();
    });

    it('a write through A is read through B with minPosition', async () => {
      const written = await call(a, manager, 'POST', '/plans', {
        planId,
        title: 'Poole crisis care plan',
        kind: 'crisis-care-concordat',
        owner: 'Poole Borough Council',
        effectiveOn: '2024-04',
      });
      expect(written.status, JSON.stringify(written.body)).toBe(201);
      const read = await call(b, manager, 'GET', `/plans/${planId}?minPosition=${written.body['position'] as string}`);
      // An action Poole leads, so the organisation has an account to look up by any of its names below.
      expect(
        (await call(a, manager, 'POST', `/plans/${planId}/sections`, { sectionRef: '1', title: 'Access', effectiveOn: '2024-04' })).status,
      ).toBe(201);
      const action = await call(a, manager, 'POST', `/plans/${planId}/actions`, {
        ref: '1.1',
        sectionRef: '1',
        text: 'Open a crisis café',
        leadOrganisations: ['Poole Borough Council'],
        due: { kind: 'date', date: '2024-10', wording: 'October 2024' },
        effectiveOn: '2024-04',
      });
      expect(action.status, JSON.stringify(action.body)).toBe(201);
      expect(read.status, JSON.stringify(read.body)).toBe(200);
      expect(read.body).toMatchObject({ planId, title: 'Poole crisis care plan' });
    });

    it('a key revoked through A is refused by B on its next request', async () => {
      const created = (
        await call(a, admin, 'POST', '/admin/keys', { name: 'Leaver', role: 'viewer', organisation: 'Poole Borough Council' })
      ).body;
      expect((await call(b, created['key'] as string, 'GET', '/plans')).status).toBe(200);
      expect((await call(a, admin, 'DELETE', `/admin/keys/${created['keyId'] as string}`)).status).toBe(200);
      expect((await call(b, created['key'] as string, 'GET', '/plans')).status).toBe(401);
    });

    it('an alias an operator adds through A means the same through B', async () => {
      const aliases = dirs[0]!.file('aliases.json');
      fs.writeFileSync(aliases, JSON.stringify({ organisations: [{ name: 'Poole Borough Council', aliases: ['PBC'] }] }));
      const imported = await runLedger(
        ['import', '--aliases', aliases, '--plan', `${planId}-template`, 'docs/templates/plan-template.json'],
        envA,
      );
      expect(imported.code, imported.output).toBe(0);
      await expect
        .poll(async () => (await call(b, manager, 'GET', '/organisations/PBC')).body['organisation'], { timeout: 5000, interval: 200 })
        .toBe('Poole Borough Council');
      expect((await call(a, manager, 'GET', '/organisations/PBC')).body['organisation']).toBe('Poole Borough Council');
    });

    it("both instances' access-log records land in the engine", async () => {
      for (const instance of [a, b]) expect((await call(instance, auditor, 'GET', `/plans/${planId}/events`)).status).toBe(200);
      const client = await connectKurrentDB(serverUrl!);
      try {
        const routes: string[] = [];
        for await (const resolved of client.readStream(names.accessLog, { requiresLeader: true }))
          routes.push((resolved.event?.data as { route: string }).route);
        expect(routes.filter((r) => r === '/plans/:planId/events').length).toBeGreaterThanOrEqual(2);
      } finally {
        await client.dispose();
      }
      const log = await call(b, auditor, 'GET', '/access-log?limit=100');
      expect((log.body['entries'] as { route: string }[]).filter((e) => e.route === '/plans/:planId/events').length).toBeGreaterThanOrEqual(
        2,
      );
    });

    it('checkpoints signed by both instances form one consistent, verifiable series', async () => {
      const signedThrough = async (instance: Instance, i: number) => {
        const section = await call(instance, manager, 'POST', `/plans/${planId}/sections`, {
          sectionRef: `s${i}`,
          title: `Section ${i}`,
          effectiveOn: '2024-04',
        });
        expect(section.status, JSON.stringify(section.body)).toBe(201);
        const signed = await call(instance, admin, 'POST', '/ledger/checkpoints');
        expect(signed.status, JSON.stringify(signed.body)).toBe(201);
        return signed.body['treeSize'] as number;
      };
      const sizes = [await signedThrough(a, 1), await signedThrough(b, 2), await signedThrough(a, 3), await signedThrough(b, 4)];
      expect(sizes).toEqual([...sizes].sort((x, y) => x - y));
      const onA = (await call(a, auditor, 'GET', '/ledger/checkpoints?limit=100')).body;
      const onB = (await call(b, auditor, 'GET', '/ledger/checkpoints?limit=100')).body;
      expect(onA).toEqual(onB);
      for (const instance of [a, b]) {
        const verified = await call(instance, auditor, 'GET', '/ledger/verify');
        expect(verified.body, JSON.stringify(verified.body)).toMatchObject({ ok: true });
        expect(verified.body['checkpointsChecked'] as number).toBeGreaterThanOrEqual(4);
      }
      // Between the first and the last, a consistency proof from either instance says the same.
      const proof = `/ledger/proofs/consistency?from=${sizes[0]}&to=${sizes[3]}`;
      expect((await call(a, auditor, 'GET', proof)).body).toEqual((await call(b, auditor, 'GET', proof)).body);
    }, 30_000);
  });
