import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { learnedAliasFile, openOrganisationAliases } from '../../src/organisations/organisation-aliases.ts';
import { makeTempDir } from '../support/temp-dir.ts';

describe("a ledger's organisation directory (shipped table, then the data dir's learned file)", () => {
  const dirs: ReturnType<typeof makeTempDir>[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
  const tempDir = () => {
    const dir = makeTempDir('ledger-orgs-');
    dirs.push(dir);
    return dir;
  };

  it('sees what it learns at once, and keeps the shipped table winning on conflicts', async () => {
    const dir = tempDir();
    const directory = openOrganisationAliases(dir.path);
    expect(directory.canonical('AMHP')).toBe('AMHP');
    await directory.learn([
      { name: 'Anyshire Mental Health Partnership', aliases: ['AMHP'] },
      { name: 'Ambulance people', aliases: ['SWAST'] },
    ]);
    expect(directory.canonical('amhp')).toBe('Anyshire Mental Health Partnership');
    expect(directory.canonical('SWAST')).toBe('South Western Ambulance Service NHS Foundation Trust');
    const learned = JSON.parse(fs.readFileSync(learnedAliasFile(dir.path), 'utf8'));
    expect(learned.organisations).toContainEqual({ name: 'Anyshire Mental Health Partnership', aliases: ['AMHP'] });
  });

  it("picks up another process's change to the learned file within its recheck interval, and keeps the table it has when the file is broken", async () => {
    const dir = tempDir();
    let now = 0;
    const directory = openOrganisationAliases(dir.path, () => now);
    const writer = openOrganisationAliases(dir.path, () => now);
    await writer.learn([{ name: 'Anyshire Mental Health Partnership', aliases: ['AMHP'] }]);
    expect(directory.canonical('AMHP')).toBe('AMHP');
    now += 1000;
    expect(directory.canonical('AMHP')).toBe('Anyshire Mental Health Partnership');
    fs.writeFileSync(learnedAliasFile(dir.path), '{ "organisations": [ half written');
    now += 1000;
    expect(directory.canonical('AMHP')).toBe('Anyshire Mental Health Partnership');
  });

  it('without a data dir is the shipped table and learns nothing', async () => {
    const directory = openOrganisationAliases(undefined);
    await directory.learn([{ name: 'Anyshire Mental Health Partnership', aliases: ['AMHP'] }]);
    expect(directory.canonical('AMHP')).toBe('AMHP');
    expect(directory.canonical('Dorset CCG')).toBe('NHS Dorset Clinical Commissioning Group');
  });
});
