import fs from 'node:fs';
import path from 'node:path';
import { AliasFile, organisationKey } from './organisation-directory.ts';
import type { LearnedAliases, LearnedAliasStore } from './port.ts';
import { withLearnedFileLock } from './sqlite/learned-file-lock.ts';

/** The names imports have taught this ledger, in the shipped table's format; the operator may edit it. */
export const learnedAliasFile = (dataDir: string) => path.join(dataDir, 'organisation-aliases.json');

const LEARNED_COMMENT =
  'Organisations and aliases learned from imported plans (glossaries, "Full Name (ABC)" in Led by cells). Same format ' +
  'as config/organisation-aliases.json; edit freely.';

/** How often the file is looked at for changes made by another process (`ledger import`, another instance, an editor). */
const RECHECK_MS = 1000;

const fileStamp = (file: string) => {
  try {
    const stat = fs.statSync(file);
    return `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return 'absent';
  }
};

const readFile = (file: string): AliasFile | undefined =>
  fs.existsSync(file) ? AliasFile.parse(JSON.parse(fs.readFileSync(file, 'utf8'))) : undefined;

/**
 * The embedded learned-alias store: `<dataDir>/organisation-aliases.json`, shared by every
 * process on the data dir. A change by another process is picked up within a second: the file
 * is looked at (a stat) at most once a second, and re-read when it changed. A half-written or
 * invalid edit keeps the table it had rather than failing every request.
 */
export const openLearnedAliasFile = (dataDir: string, clock: () => number = Date.now): LearnedAliasStore => {
  const file = learnedAliasFile(dataDir);
  let stamp = fileStamp(file);
  let learned: LearnedAliases = { organisations: readFile(file)?.organisations ?? [] };
  let checkedAt = clock();

  const reload = () => {
    stamp = fileStamp(file);
    learned = { organisations: readFile(file)?.organisations ?? [] };
    checkedAt = clock();
  };

  return {
    location: file,
    current() {
      if (clock() - checkedAt >= RECHECK_MS) {
        checkedAt = clock();
        if (fileStamp(file) !== stamp) {
          try {
            reload();
          } catch {
            stamp = fileStamp(file);
          }
        }
      }
      return learned;
    },
    async learn(organisations) {
      if (organisations.length === 0) return;
      fs.mkdirSync(path.dirname(file), { recursive: true });
      // Read, added to and written back under the lock: another process doing the same meanwhile lost the other's names.
      withLearnedFileLock(`${file}.lock`, () => {
        const existing = readFile(file) ?? { $comment: LEARNED_COMMENT, organisations: [] };
        if (!mergeInto(existing, organisations)) return;
        const temp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(temp, `${JSON.stringify(existing, null, 2)}\n`);
        fs.renameSync(temp, file);
      });
      reload();
    },
    close: async () => undefined,
  };
};

/** Adds what is new to the file's entries, matching names as the directory does; true when anything was added. */
const mergeInto = (file: AliasFile, organisations: AliasFile['organisations']): boolean => {
  const byKey = new Map(file.organisations.map((o) => [organisationKey(o.name), o]));
  let changed = false;
  for (const org of organisations) {
    let entry = byKey.get(organisationKey(org.name));
    if (!entry) {
      entry = { name: org.name, aliases: [] };
      file.organisations.push(entry);
      byKey.set(organisationKey(org.name), entry);
      changed = true;
    }
    for (const alias of org.aliases)
      if (!entry.aliases.some((a) => organisationKey(a) === organisationKey(alias))) {
        entry.aliases.push(alias);
        changed = true;
      }
  }
  return changed;
};
