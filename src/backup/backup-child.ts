import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ScheduledBackupSettings {
  /** The directory that holds the backups. */
  dir: string;
  intervalMs: number;
  keep: number;
  /** A file whose first line is the passphrase the signing key is encrypted with, if it goes into backups. */
  passphraseFile?: string | undefined;
}

const LEDGER_BIN = fileURLToPath(new URL('../../bin/ledger.js', import.meta.url));

/**
 * Runs `ledger backup` as a child process with the service's own configuration: the copy,
 * its verification and the hashing run outside the service's event loop, so requests are
 * served meanwhile exactly as during an operator's backup. The child records its outcome in the
 * operations store itself; this resolves with its exit code and the last line it printed.
 */
export const runBackupProcess = (dataDir: string, settings: ScheduledBackupSettings): Promise<{ code: number | null; lastLine: string }> =>
  new Promise((resolve, reject) => {
    const args = [LEDGER_BIN, 'backup', '-d', dataDir, '--to', settings.dir, '--keep', String(settings.keep)];
    if (settings.passphraseFile) args.push('--passphrase-file', settings.passphraseFile);
    // Its own process group: a signal to the service's group (Ctrl-C in its terminal) does not cut the backup short either.
    const child = spawn(process.execPath, args, { env: process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, lastLine: output.trim().split('\n').at(-1) ?? '' }));
  });
