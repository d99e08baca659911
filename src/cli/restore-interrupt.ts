import fs from 'node:fs';
import path from 'node:path';

/**
 * While `ledger restore` runs, Ctrl-C or SIGTERM stops the process; the target, absent or empty
 * when the restore began, is emptied again on the way out, as a failed restore leaves it
 * (src/backup/restore-backup.ts): no service may start on half a restore, which no check has passed.
 * A target that holds something is left alone (the restore refuses it). Returns the function that
 * stops listening, once the restore has ended.
 */
export const emptiedIfInterrupted = (target: string): (() => void) => {
  const existed = fs.existsSync(target);
  if (existed && (!fs.statSync(target).isDirectory() || fs.readdirSync(target).length > 0)) return () => undefined;
  const stop = (signal: NodeJS.Signals) => {
    if (!existed) fs.rmSync(target, { recursive: true, force: true });
    else if (fs.existsSync(target))
      for (const entry of fs.readdirSync(target)) fs.rmSync(path.join(target, entry), { recursive: true, force: true });
    process.stderr.write(`\nledger restore: stopped by ${signal}; ${target} was emptied again, so no service starts on half a restore\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  };
};
