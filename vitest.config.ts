import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Crash and HTTP tests start child processes and real servers; two cores, so keep parallelism modest.
    pool: 'forks',
    // Files share a fork's loaded modules (isolate: false): loading the app's few hundred modules again for every file took a
    // quarter of the suite's time. No test changes process.env, the working directory, timers or module mocks, so nothing
    // one file does can reach the next (the setup file fails a file that leaves the environment or directory changed); each
    // opens its own files, stores and servers.
    poolOptions: { forks: { maxForks: 2, minForks: 1, isolate: false } },
    setupFiles: ['test/support/file-leaves-process-as-found.ts'],
    // The `ledger` processes the tests start run the bundle of the sources as they are (src/bundle/command-bundle.js).
    globalSetup: ['test/support/bundle-the-command.ts', 'test/support/generated-fixtures-dir.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
