import fs from 'node:fs';
import { z } from 'zod';

/**
 * Documents name one organisation many ways ("SWAST", "SWASFT", "South West Ambulance
 * Service Foundation Trust"). The directory maps every known name to one canonical name.
 * It is configuration, loaded from JSON files, so a trust can add its own without code.
 */
export const AliasFile = z
  .object({
    $comment: z.string().optional(),
    organisations: z.array(
      z.object({ name: z.string().trim().min(1).max(300), aliases: z.array(z.string().trim().min(1).max(300)).default([]) }).strict(),
    ),
  })
  .strict();
export type AliasFile = z.infer<typeof AliasFile>;

/**
 * Case, punctuation and spacing never distinguish two organisations, nor how the text is encoded
 * (an accent typed as its own character or as a combining mark, as pasted from Word or a Mac).
 */
export const organisationKey = (name: string): string =>
  name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

export interface OrganisationDirectory {
  /** The canonical name for any known name; an unknown name comes back trimmed, as written (its accents composed). */
  canonical(name: string): string;
  /** Every canonical organisation with the names it is known by. */
  list(): { name: string; aliases: string[] }[];
  /**
   * The table of names in force now, which never changes once made: what a cache of figures
   * per directory is keyed by, as a directory that learns aliases changes what names mean.
   */
  inForce(): OrganisationDirectory;
  /**
   * The entries the table in force was made from, in order: the same table made again from them
   * (`createOrganisationDirectory`) by a thread that reads part of a view (every-plan/view-pool.ts).
   */
  entries(): AliasFile['organisations'];
}

const MEANINGS_KEPT = 10_000;

/**
 * The canonical name of any name, asked of the directory once per name for as long as the
 * function is kept: a report takes one for its own run, so every action's names cost a lookup.
 */
export const canonicalNames = (directory: OrganisationDirectory): ((name: string) => string) => {
  const seen = new Map<string, string>();
  return (name) => {
    let found = seen.get(name);
    if (found === undefined) seen.set(name, (found = directory.canonical(name)));
    return found;
  };
};

export const createOrganisationDirectory = (entries: AliasFile['organisations']): OrganisationDirectory => {
  const byKey = new Map<string, string>();
  const names = new Map<string, Set<string>>();
  for (const entry of entries) {
    const canonical = byKey.get(organisationKey(entry.name)) ?? entry.name;
    const known = names.get(canonical) ?? new Set<string>();
    names.set(canonical, known);
    for (const name of [entry.name, ...entry.aliases]) {
      // The first file to claim a name wins: shipped configuration, then what imports added.
      if (!byKey.has(organisationKey(name))) byKey.set(organisationKey(name), canonical);
      if (name !== canonical) known.add(name);
    }
  }
  // A directory never changes once made, so what a name means is worked out once: a report
  // asks it of every name on every action. Emptied when full, for a caller that asks of many names.
  const meaning = new Map<string, string>();
  const directory: OrganisationDirectory = {
    canonical: (name) => {
      let found = meaning.get(name);
      if (found === undefined) {
        if (meaning.size >= MEANINGS_KEPT) meaning.clear();
        meaning.set(name, (found = byKey.get(organisationKey(name)) ?? name.normalize('NFC').trim()));
      }
      return found;
    },
    list: () => [...names].map(([name, aliases]) => ({ name, aliases: [...aliases] })),
    inForce: () => directory,
    entries: () => entries,
  };
  return directory;
};

/** The entries of alias files in order, skipping files that do not exist; a malformed file is an error naming the file. */
export const loadAliasEntries = (files: string[]): AliasFile['organisations'] => {
  const entries: AliasFile['organisations'] = [];
  for (const file of files) {
    if (!fs.existsSync(file)) continue;
    const parsed = AliasFile.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    entries.push(...parsed.data.organisations);
  }
  return entries;
};

/** Reads alias files in order into one directory (the first file to claim a name wins). */
export const loadOrganisationDirectory = (files: string[]): OrganisationDirectory => createOrganisationDirectory(loadAliasEntries(files));
