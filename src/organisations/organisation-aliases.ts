import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AliasFile, loadOrganisationDirectory, organisationKey, type OrganisationDirectory } from './organisation-directory.ts';

/** The alias table shipped with the product: read first, so it wins on conflicts. */
export const shippedAliasFile = fileURLToPath(new URL('../../config/organisation-aliases.json', import.meta.url));

/** The names imports have taught this ledger, in the shipped table's format; the operator may edit it. */
export const learnedAliasFile = (dataDir: string) => path.join(dataDir, 'organisation-aliases.json');

const LEARNED_COMMENT =
  'Organisations and aliases learned from imported plans (glossaries, "Full Name (ABC)" in Led by cells). Same format ' +
  'as config/organisation-aliases.json; edit freely.';

/** How often the learned file is looked at for changes made by another process (`ledger import`, an editor). */
const RECHECK_MS = 1000;

/**
 * The one organisation directory of a ledger: shipped table, then `<dataDir>/organisation-aliases.json`.
 * Access control, the read models and imports share one instance, so an alias an import
 * learns is seen by all of them at once; a change to the file by another process is picked
 * up within a second. Without a data dir it is the shipped table and learns nothing.
 */
export interface OrganisationAliases extends OrganisationDirectory {
  /** Adds organisations and aliases to the learned file (never removes or renames) and reloads. */
  learn(organisations: AliasFile['organisations']): void;
  readonly files: string[];
}

const fileStamp = (file: string | undefined) => {
  if (!file) return '';
  try {
    const stat = fs.statSync(file);
    return `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return 'absent';
  }
};

export const openOrganisationAliases = (dataDir: string | undefined, clock: () => number = Date.now): OrganisationAliases => {
  const learnedFile = dataDir === undefined ? undefined : learnedAliasFile(dataDir);
  const files = learnedFile ? [shippedAliasFile, learnedFile] : [shippedAliasFile];
  let stamp = fileStamp(learnedFile);
  let table = loadOrganisationDirectory(files);
  let checkedAt = clock();

  const reload = () => {
    stamp = fileStamp(learnedFile);
    table = loadOrganisationDirectory(files);
    checkedAt = clock();
  };
  const current = (): OrganisationDirectory => {
    if (learnedFile && clock() - checkedAt >= RECHECK_MS) {
      checkedAt = clock();
      // A half-written or invalid edit keeps the table we have rather than failing every request.
      if (fileStamp(learnedFile) !== stamp) {
        try {
          reload();
        } catch {
          stamp = fileStamp(learnedFile);
        }
      }
    }
    return table;
  };

  const learn = (organisations: AliasFile['organisations']) => {
    if (!learnedFile || organisations.length === 0) return;
    const existing: AliasFile = fs.existsSync(learnedFile)
      ? AliasFile.parse(JSON.parse(fs.readFileSync(learnedFile, 'utf8')))
      : { $comment: LEARNED_COMMENT, organisations: [] };
    if (!mergeInto(existing, organisations)) return;
    fs.mkdirSync(path.dirname(learnedFile), { recursive: true });
    const temp = `${learnedFile}.${process.pid}.tmp`;
    fs.writeFileSync(temp, `${JSON.stringify(existing, null, 2)}\n`);
    fs.renameSync(temp, learnedFile);
    reload();
  };

  return { canonical: (name) => current().canonical(name), list: () => current().list(), learn, files };
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
