import { spawnSync } from 'node:child_process';

/**
 * Creates an API key in a data dir with the real `ledger keys create`, as an operator
 * would before handing it to someone, and returns the key it printed once.
 */
export const createKeyWithCli = (dataDir: string, role: string, organisation: string): string => {
  const result = spawnSync(
    process.execPath,
    ['bin/ledger.js', 'keys', 'create', '--init', '--name', `${role} for tests`, '--role', role, '--organisation', organisation],
    {
      env: { ...process.env, LEDGER_DATA_DIR: dataDir },
      encoding: 'utf8',
    },
  );
  const key = /al_[A-Za-z0-9_-]+/.exec(result.stdout)?.[0];
  if (result.status !== 0 || !key) throw new Error(`ledger keys create failed (${result.status}): ${result.stderr}${result.stdout}`);
  return key;
};
