import { beforeEach, describe, expect, it } from 'vitest';
import { collect } from '../support/collect.ts';
import { expectProblem, seedPlan, useApp } from './app-harness.ts';

/**
 * A JSON body has exactly one reading or it is refused, with nothing written: one
 * encoding (UTF-8), each member once, and numbers a double carries as written.
 */
describe('JSON request bodies', () => {
  const ctx = useApp();
  beforeEach(() => seedPlan(ctx.app));
  const url = '/plans/dorset/actions/1.3/progress-updates';
  const send = (payload: string | Buffer, contentType = 'application/json') =>
    ctx.app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType } });
  const refused = async (payload: string | Buffer, status: number, code: string, contentType?: string) => {
    const before = await ctx.store.count();
    const body = expectProblem(await send(payload, contentType), status, code);
    expect(await ctx.store.count()).toBe(before);
    return body;
  };
  const lastUpdate = async () => {
    const events = await collect(ctx.store.readStream('plan-dorset'));
    return events.at(-1)!.data as { narrative: string; metrics: { value?: number }[] };
  };

  it('a member given twice → 400 duplicate-json-key naming its path', async () => {
    const top = await refused('{"narrative":"x","narrative":"y"}', 400, 'duplicate-json-key');
    expect(top.detail).toContain('body.narrative');
    const nested = await refused(
      '{"narrative":"x","metrics":[{"description":"cells","value":1},{"description":"a","value":2,"value":3}]}',
      400,
      'duplicate-json-key',
    );
    expect(nested.detail).toContain('body.metrics.1.value');
    const escaped = await refused('{"narrative":"x","\\u006earrative":"y"}', 400, 'duplicate-json-key');
    expect(escaped.detail).toContain('body.narrative');
  });

  it('a number a double would round → 400 inexact-number; one it holds is stored as sent', async () => {
    const body = await refused('{"narrative":"x","metrics":[{"description":"d","value":9007199254740993}]}', 400, 'inexact-number');
    expect(body.detail).toContain('body.metrics.0.value');
    expect(body.detail).toContain('9007199254740993');
    await refused('{"narrative":"x","metrics":[{"description":"d","value":1e400}]}', 400, 'inexact-number');
    expect(
      (await send('{"narrative":"x","metrics":[{"description":"d","value":9007199254740991},{"description":"e","value":12.50}]}'))
        .statusCode,
    ).toBe(201);
    expect((await lastUpdate()).metrics.map((m) => m.value)).toEqual([9007199254740991, 12.5]);
  });

  it('a charset other than UTF-8 → 415 unsupported-charset', async () => {
    for (const charset of ['latin1', 'ISO-8859-1', 'utf-16', '"windows-1252"'])
      expect((await refused('{"narrative":"x"}', 415, 'unsupported-charset', `application/json; charset=${charset}`)).detail).toMatch(
        /UTF-8/,
      );
    expect((await send('{"narrative":"labelled"}', 'application/json; charset=UTF-8')).statusCode).toBe(201);
    expect((await send('{"narrative":"labelled"}', 'application/json;charset="utf-8"')).statusCode).toBe(201);
  });

  it('a UTF-16 or UTF-32 body → 415, by its byte order mark', async () => {
    await refused(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"narrative":"x"}', 'utf16le')]), 415, 'unsupported-charset');
    const be = Buffer.from('{"narrative":"x"}', 'utf16le').swap16();
    await refused(Buffer.concat([Buffer.from([0xfe, 0xff]), be]), 415, 'unsupported-charset');
  });

  it('a UTF-8 byte order mark is skipped: the body is read and stored without it', async () => {
    const response = await send(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"narrative":"Café opened"}')]));
    expect(response.statusCode, response.body).toBe(201);
    expect((await lastUpdate()).narrative).toBe('Café opened');
  });

  it('bytes that are not UTF-8 → 400 malformed-utf8, never replaced by U+FFFD', async () => {
    // "Café" as latin-1 sends é as the single byte 0xE9, which is no UTF-8.
    await refused(Buffer.from('{"narrative":"Caf\xe9"}', 'latin1'), 400, 'malformed-utf8');
  });

  it('an empty body, and __proto__ keys, are still refused as malformed JSON', async () => {
    await refused('', 400, 'malformed-json');
    await refused('{"narrative":"x","__proto__":{"admin":true}}', 400, 'malformed-json');
    await refused('{"narrative":"x","constructor":{"prototype":{"admin":true}}}', 400, 'malformed-json');
  });
});
