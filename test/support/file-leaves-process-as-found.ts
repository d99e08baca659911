import { afterAll, beforeAll } from 'vitest';

/**
 * Test files share a fork (vitest.config.ts, isolate: false), so a file that changed the
 * environment or the working directory would change every file after it. Each file must leave
 * them as it found them; one that does not fails here, naming what it changed.
 */
let env: Record<string, string | undefined> = {};
let cwd = '';

beforeAll(() => {
  env = { ...process.env };
  cwd = process.cwd();
});

afterAll(() => {
  const changed = [...new Set([...Object.keys(env), ...Object.keys(process.env)])].filter((name) => env[name] !== process.env[name]);
  const problems = [
    ...(changed.length ? [`process.env changed: ${changed.join(', ')}`] : []),
    ...(process.cwd() !== cwd ? [`the working directory changed from ${cwd} to ${process.cwd()}`] : []),
  ];
  if (problems.length)
    throw new Error(`this test file left the shared test process changed (${problems.join('; ')}): restore it before the file ends`);
});
