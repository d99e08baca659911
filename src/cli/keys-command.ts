import { commandLineUser } from './command-line-user.ts';
import { Command, InvalidArgumentError } from 'commander';
import { configFor, withBackend } from './with-backend.ts';
import { requireExistingDataDir } from '../existing-data-dir.ts';
import { createOrganisationAliases, type OrganisationAliases } from '../organisations/organisation-aliases.ts';
import type { KeyStore } from '../access/port.ts';
import { Role } from '../access/roles.ts';
import { plainText } from './plain-text-option.ts';
import { plainForTerminal } from './terminal-text.ts';

const parseRole = (value: string) => {
  const parsed = Role.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(`role must be one of ${Role.options.join(', ')}`);
  return parsed.data;
};

/**
 * Runs with the configured backend's key store and organisation directory, and always closes
 * them. A data directory with neither a ledger nor a key store is refused (unless `--init`):
 * it is not the server's.
 */
const withKeys = (
  command: string,
  o: { dataDir?: string | undefined; init?: boolean | undefined },
  run: (keys: KeyStore, organisations: OrganisationAliases) => Promise<void>,
) => {
  const config = configFor(o.dataDir);
  requireExistingDataDir(config, { command, keyStoreIsEnough: true, init: o.init });
  return withBackend(config, (backend) => run(backend.keys, createOrganisationAliases(backend.learnedAliases)));
};

const operator = () => `cli:${commandLineUser()}`;

/** `ledger keys create|list|revoke`: key management on this machine, for whoever can read the data directory. */
export const keysCommand = (out: (text: string) => void = (t) => process.stdout.write(t + '\n')) => {
  const keys = new Command('keys').description(
    'Create, list and revoke API keys (stored only as hashes: in <data dir>/access.db, or beside the ledger on a KurrentDB backend)',
  );
  const dataDir = ['-d, --data-dir <dir>', 'the ledger data directory (overrides LEDGER_DATA_DIR)'] as const;

  keys
    .command('create')
    .description('Create an API key and print it once')
    .requiredOption('--name <name>', 'who or what will use the key', plainText)
    .requiredOption('--role <role>', `one of ${Role.options.join(', ')}`, parseRole)
    .requiredOption('--organisation <organisation>', 'the organisation the key acts for (any known alias)', plainText)
    .option(...dataDir)
    .option('--init', "start a new key store if the data directory has no ledger yet (else that is refused: it is not the server's)")
    .option('--key-only', 'print only the key, for scripts: export KEY=$(ledger keys create … --key-only)')
    .action((o: { name: string; role: Role; organisation: string; dataDir?: string; init?: boolean; keyOnly?: boolean }) =>
      withKeys('keys create', { dataDir: o.dataDir, init: o.init === true }, async (store, organisations) => {
        const organisation = organisations.canonical(o.organisation);
        const { key, record } = await store.create({ name: o.name.trim(), role: o.role, organisation, createdBy: operator() });
        if (o.keyOnly) return out(key);
        out(`Created key ${record.keyId} for ${record.name} (${record.role}, ${record.organisation}).`);
        out('It is shown only this once:');
        out(key);
      }),
    );

  keys
    .command('list')
    .description('List keys (never the keys themselves)')
    .option(...dataDir)
    .action((o: { dataDir?: string }) =>
      withKeys('keys list', o, async (store) => {
        for (const k of await store.list())
          out(
            // A name stored before DEL and the C1 controls were refused may hold one: shown, never sent to the terminal.
            [
              k.keyId,
              k.role,
              plainForTerminal(k.organisation),
              plainForTerminal(k.name),
              `created ${k.createdAt}`,
              k.revokedAt ? `REVOKED ${k.revokedAt}` : 'active',
            ].join('\t'),
          );
      }),
    );

  keys
    .command('revoke')
    .description('Revoke a key at once; a revocation cannot be undone')
    .argument('<keyId>', 'the key id (the 16 hex digits after al_)')
    .option(...dataDir)
    .action((keyId: string, o: { dataDir?: string }) =>
      withKeys('keys revoke', o, async (store) => {
        if (!(await store.get(keyId))) {
          process.stderr.write(`No key ${keyId}.\n`);
          process.exitCode = 1;
          return;
        }
        out((await store.revoke(keyId, operator())) ? `Revoked key ${keyId}.` : `Key ${keyId} was already revoked.`);
      }),
    );
  return keys;
};
