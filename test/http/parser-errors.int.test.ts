import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp, MAX_PATH_SEGMENT } from '../../src/app/http/app.ts';
import { openSqliteEventStore, type SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.ts';
import { sendRaw, type RawResponse } from '../support/raw-http.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { CLOCK, expectProblem, OPERATOR, seedPlan } from './app-harness.ts';

/**
 * Errors raised before a request reaches a route, by Node's HTTP parser or by Fastify's
 * router, are problem details with a stable code like every other error, and write nothing.
 */
describe('errors from the HTTP parser and the router', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let store: SqliteEventStore;
  let app: FastifyInstance;
  let url: string;
  let shuttingDown = false;
  beforeEach(async () => {
    dir = makeTempDir('ledger-parser-');
    store = openSqliteEventStore({ file: dir.file('ledger.db') });
    shuttingDown = false;
    app = await buildApp({ store, operator: OPERATOR, clock: CLOCK, isShuttingDown: () => shuttingDown });
    await seedPlan(app);
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(async () => {
    await app.close();
    await store.close();
    dir.remove();
  });

  const expectRawProblem = (response: RawResponse, status: number, code: string) => {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = JSON.parse(response.body) as Record<string, unknown>;
    expect(body).toMatchObject({ status, code, type: expect.stringContaining(code), title: expect.any(String) });
    return body;
  };
  const post = (headers: string, body = '{"sectionRef":"2","title":"S"}') =>
    `POST /plans/dorset/sections HTTP/1.1\r\nHost: ledger\r\nContent-Type: application/json\r\n${headers}\r\n${body}`;
  const unchanged = async (run: () => Promise<void>) => {
    const before = await store.count();
    await run();
    expect(await store.count()).toBe(before);
  };

  it('headers beyond the limit → 431 headers-too-large', () =>
    unchanged(async () => {
      const big = `GET /health HTTP/1.1\r\nHost: ledger\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`;
      expect(expectRawProblem(await sendRaw(url, big), 431, 'headers-too-large').detail).toContain(String(16 * 1024));
    }));

  it('a Content-Length that is not one whole number, or is given twice differently → 400 invalid-content-length', () =>
    unchanged(async () => {
      expectRawProblem(await sendRaw(url, post('Content-Length: abc\r\n')), 400, 'invalid-content-length');
      expectRawProblem(await sendRaw(url, post('Content-Length: 30\r\nContent-Length: 31\r\n')), 400, 'invalid-content-length');
    }));

  it('chunked beside a Content-Length → 400 invalid-transfer-encoding', () =>
    unchanged(async () => {
      expectRawProblem(
        await sendRaw(
          url,
          post('Content-Length: 30\r\nTransfer-Encoding: chunked\r\n', '1e\r\n{"sectionRef":"2","title":"S"}\r\n0\r\n\r\n'),
        ),
        400,
        'invalid-transfer-encoding',
      );
    }));

  it('a connection that ends before the body its Content-Length announced → 400 incomplete-request', () =>
    unchanged(async () => {
      expectRawProblem(await sendRaw(url, post('Content-Length: 40\r\n')), 400, 'incomplete-request');
    }));

  it('bytes that are not an HTTP request → 400 malformed-http', () =>
    unchanged(async () => {
      expectRawProblem(await sendRaw(url, 'GARBAGE\r\n\r\n'), 400, 'malformed-http');
      expectRawProblem(await sendRaw(url, 'GET /health HTTP/1.1\r\nHost: ledger\r\nBad Header\r\n\r\n'), 400, 'malformed-http');
    }));

  it('a path segment longer than any id or organisation name → 414 path-segment-too-long', () =>
    unchanged(async () => {
      expectProblem(await app.inject(`/plans/${'a'.repeat(MAX_PATH_SEGMENT + 1)}`), 414, 'path-segment-too-long');
    }));

  it('a plan id too long to be one, though within the longest segment routed → 400, not 414', () =>
    unchanged(async () => {
      expectProblem(
        await app.inject({ method: 'POST', url: `/plans/${'a'.repeat(500)}/sections`, payload: { sectionRef: '2', title: 'S' } }),
        400,
        'validation-failed',
      );
    }));

  it('a request arriving while the service shuts down → 503 shutting-down with Connection: close', () =>
    unchanged(async () => {
      shuttingDown = true;
      const response = await app.inject({ method: 'POST', url: '/plans/dorset/sections', payload: { sectionRef: '2', title: 'S' } });
      expectProblem(response, 503, 'shutting-down');
      expect(response.headers.connection).toBe('close');
    }));
});
