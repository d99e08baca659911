import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { createKeyWithCli } from '../support/cli-keys.ts';
import { makeTempDir } from '../support/temp-dir.ts';

let server: RunningServer | undefined;
let dir: ReturnType<typeof makeTempDir> | undefined;
afterEach(async () => {
  await server?.stop('test done');
  dir?.remove();
});

describe('the server runs the projections', () => {
  it('follows the ledger live: a read with the write position sees the write, over real HTTP', async () => {
    dir = makeTempDir('ledger-server-');
    const key = createKeyWithCli(dir.path, 'plan-manager', 'SWASFT');
    server = await startServer(loadConfig({ LEDGER_DATA_DIR: dir.path, PORT: '0', LOG_LEVEL: 'silent', LEDGER_DEMO_DATA: 'false' }));
    const post = async (url: string, body: object) => {
      const res = await fetch(`${server!.url}${url}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(201);
      return (await res.json()) as { position: string };
    };
    await post('/plans', {
      planId: 'pfd-2022',
      title: 'Response to a Prevention of Future Deaths report',
      kind: 'prevention-of-future-deaths-response',
      owner: 'SWASFT',
    });
    const written = await post('/plans/pfd-2022/actions', {
      ref: '1',
      text: 'Review call triage',
      leadOrganisations: ['SWAST'],
      due: { kind: 'date', date: '2030-06' },
    });
    const res = await fetch(`${server.url}/plans/pfd-2022?minPosition=${written.position}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(res.status).toBe(200);
    const plan = (await res.json()) as { actions: { ref: string; computedStatus: string }[] };
    expect(plan.actions).toEqual([expect.objectContaining({ ref: '1', computedStatus: 'on-track' })]);
    const organisation = await fetch(`${server.url}/organisations/SWASFT`, { headers: { authorization: `Bearer ${key}` } });
    expect(await organisation.json()).toMatchObject({
      organisation: 'South Western Ambulance Service NHS Foundation Trust',
      actionsLed: 1,
    });
  });
});
