import { organisationKey, type AliasFile, type OrganisationDirectory } from './organisation-directory.ts';

/** A name whose meaning an alias entry would change: what it resolves to today, and what it would resolve to. */
export interface AliasChange {
  name: string;
  now: string;
  wouldBe: string;
}

/**
 * The names that learning `organisations` would give a new meaning. The directory decides
 * whose organisation a credential acts for (API keys and OIDC claims are canonicalised
 * through it on every request), so whoever may change what a name resolves to may take on
 * another organisation's identity. Learning an entry changes nothing only when each of its
 * aliases already resolves to the same organisation as its name: an organisation's name
 * itself never changes meaning (the first file to claim a name wins, and a brand-new name
 * resolves to itself), so brand-new names are fine, brand-new aliases are not — even an
 * alias nobody has used yet may be a token's organisation claim or a name on a plan.
 */
export const aliasChanges = (directory: OrganisationDirectory, organisations: AliasFile['organisations']): AliasChange[] => {
  const changes: AliasChange[] = [];
  for (const entry of organisations) {
    const wouldBe = directory.canonical(entry.name);
    for (const alias of entry.aliases) {
      const now = directory.canonical(alias);
      if (organisationKey(now) !== organisationKey(wouldBe)) changes.push({ name: alias, now, wouldBe });
    }
  }
  return changes;
};
