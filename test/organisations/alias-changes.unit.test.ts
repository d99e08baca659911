import { describe, expect, it } from 'vitest';
import { aliasChanges } from '../../src/organisations/alias-changes.ts';
import { createOrganisationDirectory } from '../../src/organisations/organisation-directory.ts';

const directory = createOrganisationDirectory([
  { name: 'NHS Dorset Clinical Commissioning Group', aliases: ['Dorset CCG'] },
  { name: 'South Western Ambulance Service NHS Foundation Trust', aliases: ['SWAST'] },
]);

describe('aliasChanges: which names an alias entry would give a new meaning', () => {
  it('finds none for known names, aliases they already have, spelling variants and brand-new names', () => {
    expect(
      aliasChanges(directory, [
        { name: 'Dorset CCG', aliases: ['NHS Dorset Clinical Commissioning Group', 'dorset  ccg'] },
        { name: 'Anyshire Partnership', aliases: ['ANYSHIRE-PARTNERSHIP'] },
        { name: 'Kent Police', aliases: [] },
      ]),
    ).toEqual([]);
  });

  it('names an alias onto another organisation, a merge of two known ones, and a brand-new alias', () => {
    expect(
      aliasChanges(directory, [
        { name: 'NHS Dorset Clinical Commissioning Group', aliases: ['Evil Trust'] },
        { name: 'Dorset CCG', aliases: ['SWAST'] },
        { name: 'Anyshire Partnership', aliases: ['AP'] },
      ]),
    ).toEqual([
      { name: 'Evil Trust', now: 'Evil Trust', wouldBe: 'NHS Dorset Clinical Commissioning Group' },
      { name: 'SWAST', now: 'South Western Ambulance Service NHS Foundation Trust', wouldBe: 'NHS Dorset Clinical Commissioning Group' },
      { name: 'AP', now: 'AP', wouldBe: 'Anyshire Partnership' },
    ]);
  });
});
