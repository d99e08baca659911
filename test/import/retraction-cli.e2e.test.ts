import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSigningKey } from '../../src/integrity/signing-key.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const run = promisify(execFile);
const ledger = (args: string[]) =>
  run(process.execPath, ['bin/ledger.js', ...args], { env: { ...process.env, LOG_LEVEL: 'silent' } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe('the operator retracts a bad import (real child processes)', () => {
  const dirs: ReturnType<typeof makeTempDir>[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  it('retracts, keeps the ledger verifiable, frees the file for a new plan id, and refuses to retract twice', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    // The key `ledger serve` makes on first start: verify checks the ledger's checkpoints with it.
    loadSigningKey({ dataDir: dir.path });
    const file = 'examples/plans/recommendation-actions-progress-update-2022.txt';
    expect((await ledger(['import', file, '-d', dir.path, '--plan', 'devon-wrong', '--init'])).code).toBe(0);
    const refused = await ledger(['import', file, '-d', dir.path, '--plan', 'devon-right']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already imported as plan "devon-wrong".*\[document-already-imported\]\nNothing was written\./s);

    const retracted = await ledger(['retract-plan', 'devon-wrong', '--reason', 'Imported under the wrong id', '-d', dir.path]);
    expect(retracted.code).toBe(0);
    expect(retracted.stdout).toMatch(/^Retracted plan "devon-wrong" \(event .*\): Imported under the wrong id\n$/);
    const again = await ledger(['retract-plan', 'devon-wrong', '--reason', 'Again', '-d', dir.path]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already retracted \[plan-retracted\]\nNothing was written\./);

    expect((await ledger(['import', file, '-d', dir.path, '--plan', 'devon-right'])).code).toBe(0);
    const verify = await ledger(['verify', '-d', dir.path]);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/events checked:\s+\d+/);
    // Seven child processes, each starting Node: minutes on a busy two-core machine.
  }, 180_000);
});
