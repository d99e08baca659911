import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh directory under the OS temp dir; remove() deletes it and everything in it. */
export const makeTempDir = (prefix = 'ledger-test-') => {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    file: (name: string) => join(path, name),
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
};
