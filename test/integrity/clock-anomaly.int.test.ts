import { describe, expect, it } from 'vitest';
import { appendStampedAsBefore } from '../support/stamped-as-before.ts';
import { seedPlans, useLedger } from './ledger-fixture.ts';

/**
 * A ledger written before ledger time was enforced may already hold a step back in recordedAt
 * (a server restarted with its clock behind). Its events are genuine, so verify passes it and
 * names each step back as a clock anomaly, never as tampering.
 */
describe.each([1, 2])('verify reports recordedAt going backwards as a clock anomaly (%i thread(s))', (workers) => {
  const ctx = useLedger();

  const appendAsBefore = (stream: string, recordedAt: string) => appendStampedAsBefore(ctx.file, stream, recordedAt);

  it('passes the ledger and lists where ledger time stepped back, with both instants', async () => {
    await seedPlans(ctx.store, 6);
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000).toISOString();
    const stepped = appendAsBefore('plan-devon', twoHoursAgo);
    await seedPlans(ctx.store, 2, 'after');
    await ctx.ledger.checkpointNow();
    const report = await ctx.ledger.verify(undefined, { workers });
    expect(report.ok).toBe(true);
    expect(report.failure).toBeUndefined();
    expect(report.clockAnomalies).toEqual({
      stepsBack: 1,
      listed: [{ position: String(stepped), previous: expect.any(String), recordedAt: twoHoursAgo }],
    });
    expect(Date.parse(report.clockAnomalies!.listed[0]!.previous)).toBeGreaterThan(Date.parse(twoHoursAgo));
  });

  it('reports nothing for a ledger whose time never went backwards', async () => {
    await seedPlans(ctx.store, 12);
    await ctx.ledger.checkpointNow();
    const report = await ctx.ledger.verify(undefined, { workers });
    expect(report.ok).toBe(true);
    expect(report.clockAnomalies).toBeUndefined();
  });
});
