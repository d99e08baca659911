import fs from 'node:fs';
import path from 'node:path';
import { MANIFEST_FILE } from './manifest.ts';

/**
 * Backups in a target directory are folders named by their UTC start time, so names sort in
 * time order: `ledger-backup-20261201T162813123Z`. While one is written it is a hidden
 * `.ledger-backup-….partial` folder without a manifest; only the final rename, after the
 * manifest is on disk, gives it its name. A folder named like a backup without a manifest is
 * never taken for one.
 */
const PREFIX = 'ledger-backup-';

export const backupName = (at: Date): string => `${PREFIX}${at.toISOString().replace(/[-:.]/g, '')}`;
export const partialName = (name: string): string => `.${name}.partial`;
export const unverifiedName = (name: string): string => `${name}.unverified`;

/** Complete backups in a target directory, oldest first. */
export const completeBackups = (target: string): string[] => {
  if (!fs.existsSync(target)) return [];
  return fs
    .readdirSync(target, { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^ledger-backup-\d{8}T\d{9}Z$/.test(e.name))
    .filter((e) => fs.existsSync(path.join(target, e.name, MANIFEST_FILE)))
    .map((e) => e.name)
    .sort();
};

/**
 * Keeps the newest `keep` complete backups and removes the rest, and removes partial folders
 * left by a backup that was killed more than a day ago (one running now is younger). Returns
 * what it removed.
 */
export const pruneBackups = (target: string, keep: number, now: Date = new Date()): string[] => {
  const removed: string[] = [];
  const complete = completeBackups(target);
  for (const name of complete.slice(0, Math.max(0, complete.length - keep))) {
    fs.rmSync(path.join(target, name), { recursive: true, force: true });
    removed.push(name);
  }
  for (const entry of fs.readdirSync(target, { withFileTypes: true })) {
    if (!entry.isDirectory() || !/^\.ledger-backup-.*\.partial$/.test(entry.name)) continue;
    const dir = path.join(target, entry.name);
    if (now.getTime() - fs.statSync(dir).mtimeMs > 24 * 60 * 60 * 1000) {
      fs.rmSync(dir, { recursive: true, force: true });
      removed.push(entry.name);
    }
  }
  return removed;
};
