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

  it('https:, http: and urn: addresses are linked', async () => {
    for (const uri of [
      'https://www.dorsetccg.nhs.uk/crisis-care/report.pdf',
      'HTTP://example.org/minutes?id=4#item-2',
      'urn:isbn:9780108516445',
      'urn:nbn:de:1111-2004033116',
    ]) {
      const response = await link(uri);
      expect(response.statusCode, `${uri}: ${response.body}`).toBe(201);
    }
  });
});
