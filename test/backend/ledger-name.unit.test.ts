import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BadLedgerName, parseLedgerName, sameLedger } from '../../src/backend/ledger-name.ts';
import { makeTempDir } from '../support/temp-dir.ts';

describe('a ledger named on the command line', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    dir = makeTempDir('ledger-name-');
  });
  afterEach(() => dir.remove());

  it('is a data directory, resolved, whether or not it exists yet', () => {
    expect(parseLedgerName('./data')).toEqual({ setting: { kind: 'sqlite' }, dataDir: path.resolve('data'), label: path.resolve('data') });
    expect(parseLedgerName(dir.file('new')).dataDir).toBe(dir.file('new'));
  });

  it('is a KurrentDB ledger when it is a kurrentdb:// connection string, named without its password', () => {
    const named = parseLedgerName('kurrentdb://admin:changeit@db1:2113?tls=false&ledgerNamespace=trust-a');
    expect(named.setting).toEqual({
      kind: 'kurrentdb',
      connectionString: 'kurrentdb://admin:changeit@db1:2113?tls=false&ledgerNamespace=trust-a',
    });
    expect(named.dataDir).toBeUndefined();
    expect(named.label).toBe('kurrentdb://admin:***@db1:2113?tls=false&ledgerNamespace=trust-a');
    expect(parseLedgerName('kurrentdb+discover://db1:2113').setting.kind).toBe('kurrentdb');
  });

  it('refuses another scheme, a file and nothing, saying what a ledger may be', () => {
    expect(() => parseLedgerName('postgres://u:secret@db/ledger')).toThrow(BadLedgerName);
    expect(() => parseLedgerName('postgres://u:secret@db/ledger')).toThrow(
      /^postgres:\/\/u:\*\*\*@db\/ledger: must be "sqlite" or a KurrentDB/,
    );
    fs.writeFileSync(dir.file('ledger.db'), '');
    expect(() => parseLedgerName(dir.file('ledger.db'))).toThrow(`name the data directory that holds the ledger (${dir.path})`);
    expect(() => parseLedgerName(' ')).toThrow(BadLedgerName);
  });

  it('knows two names of one directory, or one connection string, for the same ledger', () => {
    fs.mkdirSync(dir.file('a'));
    fs.symlinkSync(dir.file('a'), dir.file('link'));
    expect(sameLedger(parseLedgerName(dir.file('a')), parseLedgerName(`${dir.file('a')}/`))).toBe(true);
    expect(sameLedger(parseLedgerName(dir.file('a')), parseLedgerName(dir.file('link')))).toBe(true);
    expect(sameLedger(parseLedgerName(dir.file('a')), parseLedgerName(dir.file('b')))).toBe(false);
    expect(sameLedger(parseLedgerName('kurrentdb://db:2113'), parseLedgerName('kurrentdb://db:2113'))).toBe(true);
    expect(sameLedger(parseLedgerName('kurrentdb://db:2113'), parseLedgerName('kurrentdb://db:2113?ledgerNamespace=b'))).toBe(false);
    expect(sameLedger(parseLedgerName('kurrentdb://db:2113'), parseLedgerName(dir.file('a')))).toBe(false);
  });
});
