import { organisationKey } from '../organisations/organisation-directory.ts';
import type { LearnedAliasStore } from '../organisations/port.ts';
import { CopyRefused } from './copy-refused.ts';

/**
 * Something kept beside a ledger's events that a copy carries too, through its own port. The
 * copy runs every part after the events, and again on a resumed copy, so `copy` must carry
 * only what the target lacks; `verify` runs with the final verification. The evidence files'
 * store, once the ledger keeps files, is one more part: each file by the sha256 its
 * EvidenceLinked events name, verified by that hash.
 */
export interface CopyPart {
  /** What it is, for the report: "learned organisation aliases". */
  name: string;
  /** Carries what the target lacks; returns what it carried, in a few words ("9 organisations"). */
  copy(): Promise<string>;
  /** Throws CopyRefused ('verification-failed') unless the target holds all the source does; returns what was found, in a few words. */
  verify(): Promise<string>;
}

/**
 * The organisations and aliases the source has learned (from imports and operators), which
 * decide what an organisation's name means in every view: learned by the target as they are
 * (learning only adds, so running it again changes nothing).
 */
export const learnedAliasesPart = (source: LearnedAliasStore, target: LearnedAliasStore): CopyPart => ({
  name: 'learned organisation aliases',
  async copy() {
    const { organisations } = source.current();
    await target.learn(organisations);
    return `${organisations.length} organisations`;
  },
  async verify() {
    const known = new Map<string, Set<string>>();
    for (const org of target.current().organisations) {
      const names = known.get(organisationKey(org.name)) ?? new Set<string>();
      for (const alias of org.aliases) names.add(organisationKey(alias));
      known.set(organisationKey(org.name), names);
    }
    const { organisations } = source.current();
    for (const org of organisations) {
      const names = known.get(organisationKey(org.name));
      const missing = org.aliases.filter((alias) => !names?.has(organisationKey(alias)));
      if (!names || missing.length > 0)
        throw new CopyRefused(
          'verification-failed',
          `the target's learned organisations lack ${names ? `the aliases ${missing.join(', ')} of` : ''} ${org.name} (${target.location})`,
        );
    }
    return 'each with every alias, in both';
  },
});
