import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config.ts';

/**
 * The API description exactly as `ledger serve` would answer GET /openapi.json, without a
 * listening server or a ledger of the user's: the service is built over a throwaway data
 * directory, asked for its description, and closed. The description depends on the code
 * and the access settings, not on what a ledger holds.
 */
export const describeApi = async (env: NodeJS.ProcessEnv = process.env): Promise<unknown> => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-openapi-'));
  try {
    // The description is the same on every backend, so it is always taken from the embedded one.
    const { LEDGER_STORE: _store, LEDGER_SIGNING_KEY: _key, LEDGER_SIGNING_KEY_FILE: _keyFile, ...rest } = env;
    const config = loadConfig({
      ...rest,
      LEDGER_DATA_DIR: scratch,
      LEDGER_DEMO_DATA: 'false',
      LEDGER_CHECKPOINT_INTERVAL_MS: '0',
      LOG_LEVEL: 'silent',
    });
    // Loaded when asked: the service's modules are most of what `ledger` would load at every start.
    const { openLedgerService } = await import('../server.ts');
    const service = await openLedgerService(config, () => undefined);
    try {
      return service.app.swagger();
    } finally {
      await service.stop('description written');
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
};

/** `ledger openapi [--out file]`: for client generators and `npm run lint:openapi`. */
export const registerOpenApiCommand = (program: Command) =>
  program
    .command('openapi')
    .description('Print the OpenAPI description the server serves at /openapi.json (no server or ledger needed)')
    .option('-o, --out <file>', 'write it to this file instead of standard output')
    .action(async (options: { out?: string }) => {
      const text = `${JSON.stringify(await describeApi(), null, 2)}\n`;
      if (options.out === undefined) process.stdout.write(text);
      else {
        fs.mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
        fs.writeFileSync(options.out, text);
        process.stderr.write(`wrote the OpenAPI description to ${options.out}\n`);
      }
    });
