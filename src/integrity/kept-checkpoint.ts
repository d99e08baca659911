import fs from 'node:fs';
import path from 'node:path';
import { Checkpoint } from './checkpoint.ts';

/**
 * The latest signed checkpoint, kept in a small file beside the ledger rather than only in
 * it: someone who rewrites the SQLite file and deletes its checkpoint rows must also find and
 * roll back this file, and `ledger verify` and the signer both compare the ledger with it.
 */
export const KEPT_CHECKPOINT_FILE = 'ledger-checkpoint.json';

export const keptCheckpointFileFor = (ledgerFile: string): string => path.join(path.dirname(ledgerFile), KEPT_CHECKPOINT_FILE);

export class UnreadableCheckpoint extends Error {}

/**
 * A checkpoint from JSON text as an auditor may have kept it: the body of
 * GET /ledger/checkpoints/latest, or anything holding one under `checkpoint` (an export
 * bundle, an inclusion proof answer).
 */
export const parseCheckpoint = (text: string, source: string): Checkpoint => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UnreadableCheckpoint(`${source} is not JSON: ${(error as Error).message}`);
  }
  const candidate =
    typeof value === 'object' && value !== null && 'checkpoint' in value ? (value as { checkpoint: unknown }).checkpoint : value;
  const parsed = Checkpoint.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UnreadableCheckpoint(`${source} holds no checkpoint: ${issue?.path.join('.') || '(top)'}: ${issue?.message}`);
  }
  return parsed.data;
};

/** The kept checkpoint, or undefined when there is none yet; throws UnreadableCheckpoint when the file is damaged. */
export const readKeptCheckpoint = (file: string): Checkpoint | undefined => {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UnreadableCheckpoint(`cannot read the kept checkpoint ${file}: ${(error as Error).message}`);
  }
  return parseCheckpoint(text, `the kept checkpoint ${file}`);
};

/**
 * Replaces the kept checkpoint atomically: write a temporary file, flush it, rename over the
 * old one, flush the directory. A crash leaves the old checkpoint or the new, never half a file.
 */
export const writeKeptCheckpoint = (file: string, checkpoint: Checkpoint): void => {
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temporary, 'w', 0o644);
  try {
    fs.writeSync(fd, `${JSON.stringify(checkpoint, null, 2)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, file);
  try {
    const dir = fs.openSync(path.dirname(file), 'r');
    try {
      fs.fsyncSync(dir);
    } finally {
      fs.closeSync(dir);
    }
  } catch {
    // Some platforms cannot open a directory to flush it; the rename itself is still atomic.
  }
};
