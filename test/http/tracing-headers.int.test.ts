import { beforeEach, describe, expect, it } from 'vitest';
import { collect } from '../support/collect.ts';
import { sendRaw } from '../support/raw-http.ts';
import { expectProblem, post, seedPlan, useApp } from './app-harness.ts';

/** The correlation id is stored in the hashed event for good: only a usable id gets there. */
describe('X-Correlation-Id and X-Request-Id', () => {
  const ctx = useApp();
  beforeEach(() => seedPlan(ctx.app));
  const update = (headers: Record<string, string>) =>
    post(ctx.app, '/plans/dorset/actions/1.3/progress-updates', { narrative: 'AUG 2017 pilot complete' }, headers);
  const lastEvent = async () => (await collect(ctx.store.readStream('plan-dorset'))).at(-1)!;

  it('an empty, overlong, spaced or non-ASCII correlation id → 400 invalid-correlation-id, and nothing is written', async () => {
    const before = await ctx.store.count();
    for (const bad of ['', 'x'.repeat(201), 'x'.repeat(10_000), 'two words', 'é', 'Ã©'])
      expectProblem(await update({ 'x-correlation-id': bad }), 400, 'invalid-correlation-id');
    expect(await ctx.store.count()).toBe(before);
  });

  it('a usable correlation id is recorded as sent', async () => {
    const id = `case-2017/${'x'.repeat(190)}`;
    expect((await update({ 'x-correlation-id': id })).statusCode).toBe(201);
    expect((await lastEvent()).correlationId).toBe(id);
  });

  it('UTF-8 bytes in the header over a real socket are refused, not stored as mojibake', async () => {
    const url = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const before = await ctx.store.count();
    const body = Buffer.from(JSON.stringify({ narrative: 'AUG 2017' }));
    const head = Buffer.from(
      'POST /plans/dorset/actions/1.3/progress-updates HTTP/1.1\r\nHost: ledger\r\nContent-Type: application/json\r\n' +
        `Content-Length: ${body.length}\r\nConnection: close\r\nX-Correlation-Id: `,
    );
    const response = await sendRaw(url, Buffer.concat([head, Buffer.from('é', 'utf8'), Buffer.from('\r\n\r\n'), body]));
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ code: 'invalid-correlation-id' });
    expect(await ctx.store.count()).toBe(before);
  });

  it('without a correlation id the request id is recorded; an unusable X-Request-Id is replaced by a generated one', async () => {
    expect((await update({ 'x-request-id': 'upstream-req-42' })).statusCode).toBe(201);
    expect((await lastEvent()).correlationId).toBe('upstream-req-42');
    for (const bad of ['', 'y'.repeat(10_000), 'has space']) {
      const response = await update({ 'x-request-id': bad });
      expect(response.statusCode).toBe(201);
      expect((await lastEvent()).correlationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
    }
  });
});
