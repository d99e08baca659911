/**
 * `npm run bench`: every bench/<topic>-bench.ts in turn, each printing its own table.
 *   npm run bench                 all of them
 *   npm run bench -- store http   only the named topics
 * These are measurements, not tests: the machines are shared, so each bench reports
 * ratios to a baseline measured in the same run where a target asks for one.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith('-bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();

if (benches.length === 0) {
  console.error(
    `No bench matches ${wanted.join(', ')}; available: ${readdirSync(here)
      .filter((f) => f.endsWith('-bench.ts'))
      .join(', ')}`,
  );
  process.exit(2);
}
for (const file of benches) {
  const started = performance.now();
  console.log(`\n=== ${file} ===`);
  const module = (await import(pathToFileURL(join(here, file)).href)) as { run?: () => Promise<void> };
  if (typeof module.run !== 'function') throw new Error(`${file} does not export run()`);
  await module.run();
  console.log(`(${file} took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
