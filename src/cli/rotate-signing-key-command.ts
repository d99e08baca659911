import type { Command } from 'commander';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { requireExistingDataDir } from '../existing-data-dir.ts';
import { currentKeyId, readKeyHistory } from '../integrity/key-history.ts';
import { recordRotation } from '../integrity/key-history-record.ts';
import { endorsedRotation } from '../integrity/key-rotation.ts';
import { DEFAULT_KEY_FILE, loadSigningKey } from '../integrity/signing-key.ts';
import { configFor, integrityOf, withBackend } from './with-backend.ts';
import { plainText } from './plain-text-option.ts';

const POINT_THE_SERVICE_AT_IT = 'point LEDGER_SIGNING_KEY_FILE at it before the service starts again';

/** Writes a private key file that did not exist (mode 0600), flushed, so it is on disk before the ledger names its key. */
const writeNewKeyFile = (file: string, pem: string) => {
  const fd = fs.openSync(file, 'wx', 0o600);
  try {
    fs.writeSync(fd, pem);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
};

/**
 * `ledger rotate-signing-key`: a planned rotation while the current key is at hand. The new
 * key is written first, then the rotation (endorsed by the old key) is recorded in the ledger,
 * then the key file in the data dir is swapped (the old one kept beside it, renamed) and a
 * checkpoint is signed with the new key, so the change is covered by a signed tree at once.
 */
export const registerRotateSigningKeyCommand = (program: Command) => {
  program
    .command('rotate-signing-key')
    .description(
      "Replace the ledger's signing key with a new one that the current key endorses, recorded in the ledger (stop the service " +
        'first, or restart it after)',
    )
    .option('-d, --data-dir <dir>', 'the data dir (overrides LEDGER_DATA_DIR)')
    .option('--reason <text>', 'why the key is rotated, kept in the ledger with the rotation', plainText, 'planned rotation')
    .option(
      '--new-key-file <file>',
      'where to write the new private key (default: the data dir key file, with the old one kept as ' +
        'ledger-signing-key.retired-<keyId>.pem)',
    )
    .action(async (options: { dataDir?: string; reason: string; newKeyFile?: string }) => {
      const config = configFor(options.dataDir);
      requireExistingDataDir(config, { command: 'rotate-signing-key' });
      const source = { ...config.signingKey, dataDir: config.dataDir };
      const { key: old } = loadSigningKey({ ...source, generate: false });
      const defaultFile = path.join(config.dataDir, DEFAULT_KEY_FILE);
      // With the key in the data dir the swap is done here; a key given by setting is the operator's to point at the new file.
      const inDataDir = !source.pem && !source.file;
      const target = path.resolve(
        options.newKeyFile ?? (inDataDir ? `${defaultFile}.next` : path.join(config.dataDir, 'ledger-signing-key.new.pem')),
      );
      await withBackend(
        config,
        async (backend) => {
          const { rotations } = await readKeyHistory(backend.events);
          const current = currentKeyId(rotations, await backend.integrity.checkpoints.latest());
          if (current !== undefined && current !== old.keyId)
            throw new Error(`the configured key ${old.keyId} is not the ledger's current key ${current}: rotate with the current key`);
          const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
          writeNewKeyFile(target, pem);
          const next = loadSigningKey({ pem, dataDir: config.dataDir }).key;
          const now = new Date();
          const rotation = await recordRotation(
            backend.events,
            endorsedRotation(old, next, now.toISOString(), options.reason),
            rotations,
            config.operator,
            now,
          );
          let keyFile = target;
          if (inDataDir && !options.newKeyFile) {
            fs.renameSync(defaultFile, path.join(config.dataDir, `ledger-signing-key.retired-${old.keyId}.pem`));
            fs.renameSync(target, defaultFile);
            keyFile = defaultFile;
          }
          const ledger = integrityOf(backend, config, next);
          try {
            const { checkpoint } = await ledger.checkpointNow();
            console.log(
              [
                `rotated the ledger's signing key: ${old.keyId} -> ${next.keyId}, endorsed by ${old.keyId}, recorded at position ` +
                  `${rotation.position}`,
                `new private key: ${keyFile}${keyFile === defaultFile ? '' : ` (${POINT_THE_SERVICE_AT_IT})`} — back it up`,
                ...(inDataDir && !options.newKeyFile
                  ? [`old private key kept as ${path.join(config.dataDir, `ledger-signing-key.retired-${old.keyId}.pem`)}`]
                  : []),
                `checkpoint ${checkpoint?.treeSize} signed with the new key`,
                'publish the new public key; auditors who pinned the old one still verify exports, because it endorsed this one:',
                next.publicKeyPem.trim(),
              ].join('\n'),
            );
          } finally {
            await ledger.close();
          }
        },
        { create: false },
      );
    });
};
