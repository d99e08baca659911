import { loadavg } from 'node:os';

/** What one part of the soak found: its own figures, and whether it held. */
export interface SoakResult {
  part: string;
  passed: boolean;
  /** Figures by name: cycles, acknowledged, lost, fuzz cases, 5xx, tamper caught/documented/missed, RSS growth … */
  figures: Record<string, string | number>;
  /** Why it failed, or what it skipped and why. */
  notes: string[];
  seconds?: number;
}

/** The table the issue asks for, one row per part, and every note after it. */
export const printSummary = (results: SoakResult[]) => {
  console.log(
    `\n=== soak summary (load average now ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}) ===`,
  );
  const rows = results.map((r) => [
    r.part,
    r.passed ? 'held' : 'FAILED',
    Object.entries(r.figures)
      .map(([name, value]) => `${name} ${value}`)
      .join(', '),
    `${(r.seconds ?? 0).toFixed(0)} s`,
  ]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...[['part', 'result', 'figures', 'time'], ...rows].map((row) => row[i]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(['part', 'result', 'figures', 'time']));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
  for (const r of results) for (const note of r.notes) console.log(`${r.part}: ${note}`);
};
