import { fileURLToPath } from 'node:url';
import { openLearnedAliasFile } from './learned-alias-file.ts';
import { createOrganisationDirectory, loadAliasEntries, type AliasFile, type OrganisationDirectory } from './organisation-directory.ts';
import type { LearnedAliases, LearnedAliasStore } from './port.ts';

export { learnedAliasFile } from './learned-alias-file.ts';

/** The alias table shipped with the product: read first, so it wins on conflicts. */
export const shippedAliasFile = fileURLToPath(new URL('../../config/organisation-aliases.json', import.meta.url));

/**
 * The one organisation directory of a ledger: the shipped table, then what the ledger has
 * learned (the backend's LearnedAliasStore). Access control, the read models and imports share
 * one instance, so an alias an import learns is seen by all of them at once; one learned
 * through another instance is seen as soon as the store's current() shows it (within a second).
 */
export interface OrganisationAliases extends OrganisationDirectory {
  /** Adds organisations and aliases to what the ledger has learned (never removes or renames). */
  learn(organisations: AliasFile['organisations']): Promise<void>;
  /** Where the learned part is kept (shown to operators), or undefined when nothing can be learned. */
  readonly learnedLocation: string | undefined;
}

export const createOrganisationAliases = (learned: LearnedAliasStore | undefined): OrganisationAliases => {
  const shipped = loadAliasEntries([shippedAliasFile]);
  // The shipped entries first: the first to claim a name wins.
  const build = (seen: LearnedAliases | undefined) => createOrganisationDirectory([...shipped, ...(seen?.organisations ?? [])]);
  let seen = learned?.current();
  let table = build(seen);
  const current = (): OrganisationDirectory => {
    const now = learned?.current();
    if (now !== seen) {
      seen = now;
      table = build(seen);
    }
    return table;
  };
  return {
    canonical: (name) => current().canonical(name),
    list: () => current().list(),
    inForce: () => current(),
    entries: () => current().entries(),
    learn: async (organisations) => {
      await learned?.learn(organisations);
    },
    learnedLocation: learned?.location,
  };
};

/**
 * The directory over the embedded learned-alias file in `dataDir` (without a data dir: the
 * shipped table alone, learning nothing). Tools and tests that work on a data dir directly use
 * this; the service and the CLI get the learned store from their backend.
 */
export const openOrganisationAliases = (dataDir: string | undefined, clock?: () => number): OrganisationAliases =>
  createOrganisationAliases(dataDir === undefined ? undefined : openLearnedAliasFile(dataDir, clock));
