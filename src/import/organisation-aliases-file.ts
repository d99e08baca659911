import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AliasFile,
  loadOrganisationDirectory,
  organisationKey,
  type OrganisationDirectory,
} from '../organisations/organisation-directory.ts';
import type { PlanDocument } from './plan-document.ts';

/** The alias table shipped with the product. */
export const shippedAliasFile = fileURLToPath(new URL('../../config/organisation-aliases.json', import.meta.url));

/**
 * The organisation names imports have taught the ledger, kept in
 * `<dataDir>/organisation-aliases.json` in the same format as the shipped table, which
 * the accountability views load after it. The shipped table wins on conflicts (it is
 * read first); an import only adds names, never removes or renames.
 */
export const createOrganisationAliases = (dataDir: string | undefined) => {
  const learnedFile = dataDir ? path.join(dataDir, 'organisation-aliases.json') : undefined;
  const files = learnedFile ? [shippedAliasFile, learnedFile] : [shippedAliasFile];
  let cached: OrganisationDirectory | undefined;

  const directory = (): OrganisationDirectory => (cached ??= loadOrganisationDirectory(files));

  const learn = (organisations: PlanDocument['organisations']) => {
    if (!learnedFile || organisations.length === 0) return;
    const existing: AliasFile = fs.existsSync(learnedFile)
      ? AliasFile.parse(JSON.parse(fs.readFileSync(learnedFile, 'utf8')))
      : { $comment: 'Organisations and aliases learned from imported plans (glossaries, "Full Name (ABC)" in Led by cells). Same format as config/organisation-aliases.json; edit freely.', organisations: [] };
    const byKey = new Map(existing.organisations.map((o) => [organisationKey(o.name), o]));
    let changed = false;
    for (const org of organisations) {
      const entry = byKey.get(organisationKey(org.name)) ?? { name: org.name, aliases: [] };
      if (!byKey.has(organisationKey(org.name))) {
        existing.organisations.push(entry);
        byKey.set(organisationKey(org.name), entry);
        changed = true;
      }
      for (const alias of org.aliases)
        if (!entry.aliases.some((a) => organisationKey(a) === organisationKey(alias))) {
          entry.aliases.push(alias);
          changed = true;
        }
    }
    if (!changed) return;
    fs.mkdirSync(path.dirname(learnedFile), { recursive: true });
    const temp = `${learnedFile}.${process.pid}.tmp`;
    fs.writeFileSync(temp, `${JSON.stringify(existing, null, 2)}\n`);
    fs.renameSync(temp, learnedFile);
    cached = undefined;
  };

  return { directory, learn, files };
};
export type OrganisationAliases = ReturnType<typeof createOrganisationAliases>;
