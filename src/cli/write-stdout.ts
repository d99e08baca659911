import fs from 'node:fs';

/** Why writing failed, in words: the reasons a file redirected to may refuse more. */
const why = (error: unknown): string => {
  const { code, message } = error as NodeJS.ErrnoException;
  return code === 'ENOSPC'
    ? 'the disk is full'
    : code === 'EDQUOT'
      ? 'the disk quota is used up'
      : code === 'EFBIG'
        ? 'the file is too large'
        : message;
};

/**
 * Writes a command's whole answer to stdout (a view, a plan's export), and says why not all of it
 * went, or undefined. Redirected to a file (or a device), the stream Node gives stdout writes
 * once and keeps no count: on a full disk the file is left cut short and the command would
 * exit 0 as if it were whole, or the error would end the process unheard. So a file is written
 * here until every byte is taken or the write fails. A pipe or a terminal takes the stream's own
 * way; a reader gone away (EPIPE) is main.ts's to answer, as for every other output.
 */
export const writeStdoutWhole = async (text: string): Promise<string | undefined> => {
  const bytes = Buffer.from(text, 'utf8');
  const kind = fs.fstatSync(1);
  if (!process.stdout.isTTY && !kind.isFIFO() && !kind.isSocket()) {
    try {
      for (let at = 0; at < bytes.length;) at += fs.writeSync(1, bytes, at, bytes.length - at);
      return undefined;
    } catch (error) {
      return why(error);
    }
  }
  return new Promise((resolve) =>
    process.stdout.write(bytes, (error) => resolve(error && (error as NodeJS.ErrnoException).code !== 'EPIPE' ? why(error) : undefined)),
  );
};

/** The line a command prints when its answer did not go to stdout whole. */
export const cutShort = (command: string, problem: string) =>
  `ledger ${command}: the answer was not written whole to stdout (${problem}); what was written is cut short. ` +
  'Give -o <file> to write it whole or not at all.\n';
