import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOrganisationDirectory, loadOrganisationDirectory } from '../../src/organisations/organisation-directory.ts';
import { compareNames } from '../../projections/plan-status/organisations.ts';

describe('organisation directory', () => {
  const directory = loadOrganisationDirectory([path.resolve('config/organisation-aliases.json')]);
  it('maps every name of the ambulance trust to one organisation', () => {
    const names = [
      'SWAST',
      'SWASFT',
      'South West Ambulance Service Foundation Trust',
      'swasft ',
      'South-West Ambulance Service Foundation Trust',
    ];
    expect(new Set(names.map((n) => directory.canonical(n)))).toEqual(new Set(['South Western Ambulance Service NHS Foundation Trust']));
  });
  it('keeps an unknown organisation as written', () => {
    expect(directory.canonical('  Rethink Mental Illness ')).toBe('Rethink Mental Illness');
  });
  it('reads a name with an accent typed as a combining mark as the same organisation, and keeps accented names apart from plain ones', () => {
    const composed = 'Caf\u00e9 Trust';
    const combining = 'Cafe\u0301 Trust';
    expect(directory.canonical(combining)).toBe(composed);
    const known = createOrganisationDirectory([{ name: composed, aliases: ['CT'] }]);
    expect(known.canonical(combining)).toBe(composed);
    expect(known.canonical('Cafe Trust')).toBe('Cafe Trust');
  });
});

describe('the order of organisation names', () => {
  it("is total: names the reader's order ties are ordered by code point, so a cursor never passes over one", () => {
    const names = ['a\u200bb', 'ab', 'Ab', 'Cafe\u0301', 'Caf\u00e9', 'b'];
    const sorted = [...names].sort(compareNames);
    for (const [i, name] of sorted.entries()) expect(sorted.filter((other) => compareNames(other, name) > 0)).toEqual(sorted.slice(i + 1));
  });
});
