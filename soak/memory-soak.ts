import { createKeyWithCli } from '../test/support/cli-keys.ts';
import { makeTempDir } from '../test/support/temp-dir.ts';
import type { SoakResult } from './summary.ts';
import { client, randomInt, registerPlan, rssMiB, serve, sleep, stop } from './support.ts';

const PLANS = 200;
const WRITERS = 8;
const READERS = 16;
const SAMPLE_MS = 5_000;

/**
 * Memory: a real service under a sustained load of reads and writes spread over 200 plans,
 * its resident set sampled throughout (SOAK_MEMORY_SECONDS, default 600). After the first
 * minute it may grow by at most 10%: the peak after it against the peak of the first minute's
 * last half, so a collector's saw-tooth is compared with itself.
 */
export const run = async (): Promise<SoakResult> => {
  const seconds = Number(process.env.SOAK_MEMORY_SECONDS ?? 600);
  const dir = makeTempDir('ledger-soak-memory-');
  const key = createKeyWithCli(dir.path, 'plan-manager', 'Soak Trust');
  const { child, url } = await serve(dir.path);
  const api = client(url, key);
  const counts = { writes: 0, reads: 0, refused: 0, serverErrors: 0 };
  const samples: Array<{ at: number; rss: number }> = [];
  try {
    for (let p = 0; p < PLANS; p++) await registerPlan(api, `soak-${p}`, 'Soak Trust');
    const started = performance.now();
    const elapsed = () => (performance.now() - started) / 1000;
    const tally = async (response: Promise<Response>, kind: 'writes' | 'reads') => {
      const r = await response;
      await r.arrayBuffer();
      if (r.status >= 500) counts.serverErrors++;
      else if (r.status >= 400) counts.refused++;
      else counts[kind]++;
    };
    const writer = async () => {
      while (elapsed() < seconds) {
        const [plan, action] = [randomInt(PLANS), 1 + randomInt(3)];
        const narrative = `Update ${counts.writes}: ${'progress reported to the board, with the figures for the quarter. '.repeat(1 + randomInt(4))}`;
        await tally(
          api.post(`/plans/soak-${plan}/actions/1.${action}/progress-updates`, {
            narrative,
            reportedRag: { rating: ['Red', 'Amber', 'Green'][randomInt(3)], meaning: 'as reported' },
            effectiveOn: '2016-01',
          }),
          'writes',
        );
      }
    };
    const reader = async () => {
      const paths = (p: number) => [
        `/plans/soak-${p}`,
        `/plans/soak-${p}/timeline`,
        `/plans/soak-${p}/actions/1.${1 + randomInt(3)}/timeline`,
      ];
      while (elapsed() < seconds) {
        const roll = randomInt(100);
        const path =
          roll === 0 ? '/plans' : roll === 1 ? '/reports/deadlines?from=2016-01&to=2016-12' : paths(randomInt(PLANS))[randomInt(3)]!;
        await tally(api.get(path), 'reads');
      }
    };
    const sampler = async () => {
      while (elapsed() < seconds) {
        samples.push({ at: elapsed(), rss: rssMiB(child.pid!) });
        await sleep(SAMPLE_MS);
      }
    };
    await Promise.all([sampler(), ...Array.from({ length: WRITERS }, writer), ...Array.from({ length: READERS }, reader)]);
  } finally {
    await stop(child);
    dir.remove();
  }
  const peak = (from: number, to: number) => Math.max(...samples.filter((s) => s.at >= from && s.at < to).map((s) => s.rss));
  const firstMinute = peak(30, 60);
  const after = peak(60, Number.POSITIVE_INFINITY);
  const growth = ((after - firstMinute) / firstMinute) * 100;
  const passed = growth <= 10 && counts.serverErrors === 0;
  return {
    part: 'memory',
    passed,
    figures: {
      seconds,
      plans: PLANS,
      reads: counts.reads,
      writes: counts.writes,
      '5xx': counts.serverErrors,
      'RSS at 1 min (MiB)': firstMinute.toFixed(0),
      'RSS peak after (MiB)': after.toFixed(0),
      'growth %': growth.toFixed(1),
    },
    notes: [
      `RSS samples (s: MiB): ${samples
        .filter((_, i) => i % 6 === 0)
        .map((s) => `${s.at.toFixed(0)}: ${s.rss.toFixed(0)}`)
        .join(', ')}`,
      ...(counts.refused > 0 ? [`${counts.refused} requests refused with 4xx`] : []),
      ...(passed ? [] : [`RSS grew ${growth.toFixed(1)}% after the first minute (at most 10%), or a request failed with 5xx`]),
    ],
  };
};
