import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where test files keep data generated once for the whole run (test/support/backlog-data-dir.ts), removed after it. */
    generatedFixturesDir: string;
  }
}

/**
 * A folder for data that takes seconds to generate and that several test files copy (a ledger of tens of thousands of
 * events): any test process generates each kind there once, and the others copy it. Removed when the run ends, whatever
 * the processes that filled it did.
 */
export default function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(tmpdir(), 'ledger-test-fixtures-'));
  project.provide('generatedFixturesDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
