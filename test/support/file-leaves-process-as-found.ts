import { afterAll } from 'vitest';

/**
 * Test files share a fork (vitest.config.ts, isolate: false), so a file that changed the
 * environment, the working directory, the exit code or the signal handlers would change every
 * file after it. Each must leave them as it found them; one that does not fails here, naming
 * what it changed. Vitest runs this module again before each file, so what it takes at the top
 * is the state before the file's own top level ran.
 */
const env = { ...process.env };
const cwd = process.cwd();
const exitCode = process.exitCode;
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
const handlers = SIGNALS.map((signal) => process.listenerCount(signal));

afterAll(() => {
  const changed = [...new Set([...Object.keys(env), ...Object.keys(process.env)])].filter((name) => env[name] !== process.env[name]);
  const problems = [
    ...(changed.length ? [`process.env changed: ${changed.join(', ')}`] : []),
    ...(process.cwd() !== cwd ? [`the working directory changed from ${cwd} to ${process.cwd()}`] : []),
    ...(process.exitCode !== exitCode ? [`process.exitCode changed from ${exitCode} to ${process.exitCode}`] : []),
    ...SIGNALS.flatMap((signal, i) =>
      process.listenerCount(signal) === handlers[i]
        ? []
        : [`${signal} handlers: ${handlers[i]} before, ${process.listenerCount(signal)} after`],
    ),
  ];
  if (problems.length)
    throw new Error(`this test file left the shared test process changed (${problems.join('; ')}): restore it before the file ends`);
});
