import fs from 'node:fs';
import path from 'node:path';

/** Whether the error says the path is not there (as against there but not readable by this process). */
const missing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/** The outermost of `dir` and its parents that does not exist: what making `dir` creates. Undefined when `dir` exists or cannot be told. */
const outermostMissing = (dir: string): string | undefined => {
  let outermost: string | undefined;
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    try {
      fs.statSync(at);
      return outermost;
    } catch (error) {
      if (!missing(error) || at === path.dirname(at)) return undefined;
      outermost = at;
    }
  }
};

/** The names in a directory, or undefined when it is none this process can list (a file: the opener refuses it). */
const entriesOf = (dir: string): Set<string> | undefined => {
  try {
    return new Set(fs.readdirSync(dir));
  } catch {
    return undefined;
  }
};

/**
 * What a copy's target directory held before the copy opened it, so that a copy that carries nothing into it (refused,
 * failed, or stopped before its first append) leaves it as it found it: not an empty `ledger.db` an operator takes for a
 * ledger, nor a directory the copy made. Taken after the source is open, so nothing of the source's is ever taken for
 * the copy's. A target that holds events afterwards is left: a stopped copy resumes from them (docs/copy.md).
 */
export const targetAsFound = (dir: string) => {
  const made = outermostMissing(dir);
  const held = made === undefined ? entriesOf(dir) : undefined;
  return {
    /** Removes what the copy made: the directories it created, or each entry it added to one that was there. */
    restore(): void {
      if (made !== undefined) fs.rmSync(made, { recursive: true, force: true });
      else if (held !== undefined)
        for (const entry of entriesOf(dir) ?? []) if (!held.has(entry)) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
    },
  };
};
