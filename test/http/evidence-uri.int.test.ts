import { beforeEach, describe, expect, it } from 'vitest';
import { expectProblem, post, seedPlan, useApp } from './app-harness.ts';

/** Evidence links are shown to auditors: only web addresses and document URNs are kept. */
describe('evidence uri', () => {
  const ctx = useApp();
  beforeEach(() => seedPlan(ctx.app));
  const link = (uri: string) => post(ctx.app, '/plans/dorset/actions/1.3/evidence', { title: 'Directory of services', uri });

  it('javascript:, data:, file: and other schemes → 400 validation-failed naming uri, and nothing is written', async () => {
    const before = await ctx.store.count();
    for (const uri of [
      'javascript:alert(document.cookie)',
      'JavaScript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'ftp://files.example.org/report.pdf',
      'mailto:board@example.org',
      'https://user:secret@example.org/report.pdf',
      'http:example.org',
    ]) {
      const body = expectProblem(await link(uri), 400, 'validation-failed');
      expect(body.detail, uri).toMatch(/uri/);
    }
    expect(await ctx.store.count()).toBe(before);
  });

  it('a character a URI cannot hold (a space, a letter beyond ASCII, a quote, a bare %) → 400 validation-failed naming it, and nothing is written', async () => {
    const before = await ctx.store.count();
    for (const [uri, named] of [
      ['https://example.org/board minutes.pdf', /a space at character 26.*%20/],
      ['urn:isbn:978 0108516445', /a space at character 13/],
      ['https://example.org/procès-verbal.pdf', /"è" \(U\+00E8\) at character 25/],
      ['https://example.org/report"2018".pdf', /""" \(U\+0022\) at character 27/],
      ['https://example.org/100%.pdf', /"%" at character 24 .*%25/],
      ['https://example.org/a<b>.pdf', /"<" \(U\+003C\)/],
    ] as const) {
      const body = expectProblem(await link(uri), 400, 'validation-failed');
      const message = (body.errors as { location: string; message: string }[]).find((e) => e.location === 'body.uri')?.message;
      expect(message, uri).toMatch(named);
    }
    expect(await ctx.store.count()).toBe(before);
  });

  it('a correction of a link to one holding a space → 422 invalid-correction, and nothing is written', async () => {
    const linked = await link('https://example.org/board-minutes.pdf');
    expect(linked.statusCode, linked.body).toBe(201);
    const before = await ctx.store.count();
    const correction = await post(ctx.app, '/plans/dorset/corrections', {
      correctedEventId: linked.json().eventIds[0],
      changes: { uri: 'https://example.org/board minutes.pdf' },
      reason: 'The file was renamed',
    });
    const body = expectProblem(correction, 422, 'invalid-correction');
    expect(body.detail).toMatch(/uri: an evidence uri holds a space at character 26/);
    expect(await ctx.store.count()).toBe(before);
  });

  it('https:, http: and urn: addresses are linked, percent-escapes and every reserved character kept as written', async () => {
    for (const uri of [
      'https://www.dorsetccg.nhs.uk/crisis-care/report.pdf',
      'HTTP://example.org/minutes?id=4#item-2',
      'urn:isbn:9780108516445',
      'urn:nbn:de:1111-2004033116',
      'https://example.org/board%20minutes%2Fdraft.pdf?q=a+b&r=(1)*!$,;=~_.-[x]@:/?#frag',
      'https://example.org/Proc%C3%A8s-verbal.pdf',
    ]) {
      const response = await link(uri);
      expect(response.statusCode, `${uri}: ${response.body}`).toBe(201);
    }
  });
});
