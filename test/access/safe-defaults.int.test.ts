import { request } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useSecuredLedger } from '../support/access.ts';

const open = useSecuredLedger();

describe('safe defaults', () => {
  it('sends security headers on every answer', async () => {
    const ledger = await open();
    const res = await ledger.call(undefined, { method: 'GET', url: '/health' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toContain('max-age=');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['x-frame-options']).toBeDefined();
  });

  it('documents both security schemes and, per route, who may call it', async () => {
    const ledger = await open();
    const doc = (await ledger.call(undefined, { method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(doc.components.securitySchemes)).toEqual(['apiKey', 'oidc']);
    expect(doc.paths['/health'].get.security).toEqual([]);
    expect(doc.paths['/ledger/events'].get.security).toEqual([{ apiKey: [] }, { oidc: [] }]);
    expect(doc.paths['/ledger/events'].get.description).toContain('roles: auditor');
    expect(Object.keys(doc.paths['/plans'].post.responses)).toEqual(expect.arrayContaining(['201', '401', '403', '429']));
  });

  it('rate-limits per principal: one caller exhausting its budget leaves another untouched', async () => {
    const ledger = await open({ rateLimit: { max: 3, windowMs: 60_000 } });
    const [a, b] = [await ledger.keyFor('auditor'), await ledger.keyFor('auditor')];
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await ledger.call(a, { method: 'GET', url: '/ledger/events' })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await ledger.call(a, { method: 'GET', url: '/ledger/events' });
    expect(limited.json().code).toBe('rate-limited');
    // The window the budget is counted over, and how long until it is given back.
    expect(limited.json().detail).toMatch(/^More than 3 requests in 1 minute; try again in (\d+ seconds?|1 minute)$/);
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await ledger.call(b, { method: 'GET', url: '/ledger/events' })).statusCode).toBe(200);
  });

  it('answers CORS only for configured origins', async () => {
    const ledger = await open({ corsOrigins: ['https://dashboard.nhs.example'] });
    const preflight = (origin: string) =>
      ledger.call(undefined, {
        method: 'OPTIONS',
        url: '/plans/dorset/events',
        headers: { origin, 'access-control-request-method': 'GET' },
      });
    const allowed = await preflight('https://dashboard.nhs.example');
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://dashboard.nhs.example');
    expect((await preflight('https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();
    const none = await open();
    const res = await none.call(undefined, { method: 'GET', url: '/health', headers: { origin: 'https://dashboard.nhs.example' } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a request with two Authorization headers (401 invalid-authorization-header), whichever comes first, and writes nothing', async () => {
    const ledger = await open();
    await ledger.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = ledger.app.server.address() as AddressInfo;
    const [viewer, manager] = [await ledger.keyFor('viewer'), await ledger.keyFor('plan-manager', 'Dorset CCG')];
    const body = JSON.stringify({ planId: 'two-keys', title: 'P', kind: 'other', owner: 'Dorset CCG' });
    // A raw request: an HTTP client library may fold or drop a repeated header, and this is the request as a proxy may send it.
    const send = (keys: string[]) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () =>
          socket.write(
            'POST /plans HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-type: application/json\r\n' +
              keys.map((k) => `authorization: Bearer ${k}\r\n`).join('') +
              `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
          ),
        );
        let text = '';
        socket.on('data', (d) => (text += d.toString()));
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
    for (const keys of [
      [viewer, manager],
      [manager, viewer],
      [manager, manager],
    ]) {
      const answer = await send(keys);
      expect(answer).toMatch(/^HTTP\/1\.1 401/);
      expect(answer).toMatch(/content-type: application\/problem\+json/);
      expect(answer).toContain('"code":"invalid-authorization-header"');
    }
    expect(await ledger.store.count()).toBe(0);
    // One header still works.
    expect(await send([manager])).toMatch(/^HTTP\/1\.1 201/);
  });

  it('refuses unknown URLs with 401 to callers without credentials, 404 to known ones', async () => {
    const ledger = await open();
    expect((await ledger.call(undefined, { method: 'GET', url: '/secret-admin' })).statusCode).toBe(401);
    expect((await ledger.call(await ledger.keyFor('viewer'), { method: 'GET', url: '/secret-admin' })).statusCode).toBe(404);
  });

  it('limits body and header sizes on a listening server', async () => {
    const ledger = await open({ headerLimit: 4096 });
    await ledger.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = ledger.app.server.address() as AddressInfo;
    const status = (headers: Record<string, string>, body: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ port, host: '127.0.0.1', method: 'POST', path: '/plans', headers }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on('error', reject);
        req.end(body);
      });
    // Raw socket: Node answers 431 and closes the connection, which an http client reports as a hang-up.
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.write(`GET /health HTTP/1.1\r\nhost: x\r\nx-padding: ${'a'.repeat(8000)}\r\n\r\n`),
      );
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 431/);
    const manager = await ledger.keyFor('plan-manager');
    const big = JSON.stringify({ planId: 'big', title: 'x', kind: 'other', owner: 'Dorset CCG', description: 'x'.repeat(300 * 1024) });
    expect(await status({ authorization: `Bearer ${manager}`, 'content-type': 'application/json' }, big)).toBe(413);
    expect(await ledger.store.count()).toBe(0);
  });
});
