import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import { createServer } from 'node:net';

/** A port nothing listens on now (the kernel's choice), for a service started with --port. */
export const freePort = async (): Promise<number> => {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
};

/** The environment a soak service runs with: quiet logs, no rate limit in the way of the load it makes. */
export const soakEnv = (dataDir: string, env: Record<string, string> = {}) => ({
  ...process.env,
  LEDGER_DATA_DIR: dataDir,
  LEDGER_DEMO_DATA: 'false',
  LOG_LEVEL: 'warn',
  LEDGER_RATE_LIMIT_MAX: '1000000000',
  ...env,
});

/** Spawns `ledger serve` on a free port; `ready` resolves with its URL once /ready answers 200, or undefined if it exits first. */
export const spawnService = async (dataDir: string, env: Record<string, string> = {}) => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['bin/ledger.js', 'serve', '--port', String(port)], { env: soakEnv(dataDir, env) });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  const exited = once(child, 'exit').then(() => undefined);
  const ready = (async (): Promise<string | undefined> => {
    while (child.exitCode === null && child.signalCode === null) {
      const status = await fetch(`${url}/ready`).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) return url;
      await Promise.race([sleep(50), exited]);
    }
    return undefined;
  })();
  return { child, url, ready, exited, output: () => output };
};

/** A soak service, started and ready. */
export const serve = async (dataDir: string, env: Record<string, string> = {}) => {
  const service = await spawnService(dataDir, env);
  if (!(await service.ready)) throw new Error(`ledger serve exited before it was ready: ${service.output()}`);
  return service;
};

export const stop = async (child: { kill: (signal: NodeJS.Signals) => boolean; exitCode: number | null; signalCode: string | null }) => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await once(child as unknown as NodeJS.EventEmitter, 'exit');
};

/** A process's resident set in MiB, from /proc (Linux). */
export const rssMiB = (pid: number): number => {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
};

/** JSON calls to one service with one API key. */
export const client = (url: string, key: string) => {
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  return {
    post: (path: string, body: unknown, extra: Record<string, string> = {}) =>
      fetch(`${url}${path}`, { method: 'POST', headers: { ...headers, ...extra }, body: JSON.stringify(body) }),
    get: (path: string) => fetch(`${url}${path}`, { headers }),
  };
};
export type Client = ReturnType<typeof client>;

/** A plan of `actions` actions in one section, all through the API, each write checked. */
export const registerPlan = async (api: Client, planId: string, owner: string, actions = 3) => {
  const ok = async (response: Promise<Response>) => {
    const r = await response;
    if (r.status !== 201) throw new Error(`setting up plan ${planId}: ${r.status} ${await r.text()}`);
  };
  await ok(api.post('/plans', { planId, title: `Soak plan ${planId}`, kind: 'other', owner, effectiveOn: '2015-03' }));
  await ok(api.post(`/plans/${planId}/sections`, { sectionRef: '1', title: 'Access to support', effectiveOn: '2015-03' }));
  for (let a = 1; a <= actions; a++) {
    await ok(
      api.post(`/plans/${planId}/actions`, {
        ref: `1.${a}`,
        sectionRef: '1',
        text: `Action ${a} of ${planId}`,
        leadOrganisations: [owner],
        due: { kind: 'date', date: '2016-10', wording: 'October 2016' },
        effectiveOn: '2015-03',
      }),
    );
  }
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const randomInt = (below: number) => Math.floor(Math.random() * below);
