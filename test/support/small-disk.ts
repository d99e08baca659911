import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir } from './temp-dir.ts';

/**
 * A real small disk: a tmpfs of the given size mounted on a fresh directory. Needs root (and
 * a kernel that lets this process mount); `unavailable` says in one line why not, for the skip.
 */
export const smallDiskSupport = (): { available: true } | { available: false; reason: string } => {
  if (process.platform !== 'linux') return { available: false, reason: 'tmpfs mounts need Linux' };
  if (process.getuid?.() !== 0) return { available: false, reason: 'mounting a small tmpfs needs root' };
  const probe = makeTempDir('ledger-tmpfs-probe-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe.path], { stdio: 'pipe' });
    execFileSync('umount', [probe.path], { stdio: 'pipe' });
    return { available: true };
  } catch (error) {
    return { available: false, reason: `mount -t tmpfs failed: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}` };
  } finally {
    probe.remove();
  }
};

/** `inodes` caps the files and folders it can hold, its root included: 1 is a disk on which nothing more can be made. */
export const mountSmallDisk = (size: string, { inodes }: { inodes?: number } = {}) => {
  const dir = makeTempDir('ledger-small-disk-');
  const options = `size=${size}${inodes === undefined ? '' : `,nr_inodes=${inodes}`}`;
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir.path], { stdio: 'pipe' });
  const filler = path.join(dir.path, 'filler');
  return {
    path: dir.path,
    /** Takes every free byte, as another program on the same disk would. */
    fill: () => {
      const fd = fs.openSync(filler, 'a');
      const chunk = Buffer.alloc(16 * 1024);
      try {
        for (;;) fs.writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        fs.closeSync(fd);
      }
    },
    /** Gives the space back. */
    free: () => fs.rmSync(filler, { force: true }),
    remove: () => {
      execFileSync('umount', ['-l', dir.path], { stdio: 'pipe' });
      dir.remove();
    },
  };
};
