/**
 * `npm run soak`: the fault suite, kept out of `npm test` because it takes its time (about 25
 * minutes in all on a quiet machine; each part is bounded). Every part starts real services
 * on fresh data directories of its own and prints what it found; a summary table ends the run.
 *   npm run soak                      every part
 *   npm run soak -- crash fuzz        only the named parts: crash, disk-full, fuzz, memory, tamper
 * Exit code 0 only when every part held. docs/soak.md says what each part does and why.
 */
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printSummary, type SoakResult } from './summary.ts';

const PARTS = ['crash', 'disk-full', 'fuzz', 'memory', 'tamper'] as const;
const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(PARTS as readonly string[]).includes(w));
if (unknown.length > 0) {
  console.error(`no soak part ${unknown.join(', ')}; the parts are: ${PARTS.join(', ')}`);
  process.exit(2);
}

const results: SoakResult[] = [];
for (const part of PARTS.filter((p) => wanted.length === 0 || wanted.includes(p))) {
  const started = performance.now();
  console.log(
    `\n=== soak: ${part} (load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}) ===`,
  );
  const module = (await import(pathToFileURL(join(here, `${part}-soak.ts`)).href)) as { run: () => Promise<SoakResult> };
  const result = await module.run();
  results.push({ ...result, seconds: (performance.now() - started) / 1000 });
}
printSummary(results);
process.exitCode = results.every((r) => r.passed) ? 0 : 1;
