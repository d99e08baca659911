import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrganisationDirectory } from '../../src/organisations/organisation-directory.ts';

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
});
