import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { buildCli } from '../../src/cli/main.ts';
import { NoLedgerHere } from '../../src/existing-data-dir.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const refusalOf = async (args: string[]) =>
  (await buildCli(args[0]))
    .exitOverride()
    .parseAsync(args, { from: 'user' })
    .then(
      () => undefined,
      (error: unknown) => error,
    );

describe('CLI commands on a data directory with no ledger', () => {
  const dirs: ReturnType<typeof makeTempDir>[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  it('refuse, naming the directory they looked in and how the server sets its own, and create nothing there', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const elsewhere = dir.file('data');
    const commands: [string, string[]][] = [
      ['keys create', ['keys', 'create', '--name', 'Jo Bloggs', '--role', 'plan-manager', '--organisation', 'Dorset CCG']],
      ['keys list', ['keys', 'list']],
      ['keys revoke', ['keys', 'revoke', '0123456789abcdef']],
      ['import', ['import', 'examples/plans/dorset-crisis-care-concordat-action-plan.txt']],
      ['export-plan', ['export-plan', 'dorset-ccc']],
      ['rebuild', ['rebuild', '--no-progress']],
      ['export', ['export', '--plan', 'dorset-ccc', '--out', dir.file('dorset.json')]],
      ['verify', ['verify']],
      ['verify-view', ['verify-view', dir.file('view.json')]],
    ];
    for (const [name, args] of commands) {
      const refusal = await refusalOf([...args, '-d', elsewhere]);
      expect(refusal, name).toBeInstanceOf(NoLedgerHere);
      const message = (refusal as Error).message;
      expect(message).toContain(`ledger ${name}: there is no ledger in ${elsewhere} (no ledger.db).`);
      expect(message).toContain('LEDGER_DATA_DIR or `ledger serve --data-dir <dir>`');
      // Only the commands that can start a new ledger or key store offer to.
      expect(message.includes('--init'), name).toBe(name === 'keys create' || name === 'import');
    }
    expect(fs.readdirSync(dir.path)).toEqual([]);
  });

  it('exit 2 from the real command, with the message on stderr, when the directory comes from LEDGER_DATA_DIR', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const args = ['bin/ledger.js', 'keys', 'create', '--name', 'Jo Bloggs', '--role', 'plan-manager', '--organisation', 'Dorset CCG'];
    const env = { ...process.env, LEDGER_DATA_DIR: dir.file('data') };
    const result = await promisify(execFile)(process.execPath, args, { env }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`ledger keys create: there is no ledger in ${dir.file('data')}`);
    expect(fs.readdirSync(dir.path)).toEqual([]);
  });
});
