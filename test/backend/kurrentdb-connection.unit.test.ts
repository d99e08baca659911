import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { describe, expect, it } from 'vitest';
import { engineAddress, engineVersionProblem, splitConnectionString } from '../../src/store/kurrentdb/connection.ts';

describe('KurrentDB connection strings', () => {
  it('names the engine by its hosts only: no scheme, credentials or options in messages', () => {
    expect(engineAddress('kurrentdb://localhost:2113?tls=false')).toBe('localhost:2113');
    expect(engineAddress('kurrentdb://admin:changeit@db1:2113,db2:2113,db3:2113?tls=true')).toBe('db1:2113,db2:2113,db3:2113');
    expect(engineAddress('kurrentdb+discover://ledger:s3cr3t@cluster.example.org:2113')).toBe('cluster.example.org:2113');
  });

  it('takes the ledger namespace out before the client sees the string, and leaves the rest as it was', () => {
    expect(splitConnectionString('kurrentdb://db:2113?tls=false')).toEqual({
      client: 'kurrentdb://db:2113?tls=false',
      namespace: undefined,
    });
    expect(splitConnectionString('kurrentdb://db:2113?tls=false&ledgerNamespace=staging')).toEqual({
      client: 'kurrentdb://db:2113?tls=false',
      namespace: 'staging',
    });
    expect(splitConnectionString('kurrentdb://db:2113?ledgerNamespace=t-1')).toEqual({ client: 'kurrentdb://db:2113', namespace: 't-1' });
    expect(splitConnectionString('kurrentdb://db:2113')).toEqual({ client: 'kurrentdb://db:2113', namespace: undefined });
  });
});

describe('the KurrentDB version the ledger accepts', () => {
  it('refuses 25.1.0, whose multi-stream appends could lose track of a new stream after a restart', () => {
    expect(engineVersionProblem('25.1.0')).toMatch(/KurrentDB 25\.1\.0, and the ledger needs 25\.1\.1 or later/);
  });

  it('accepts 25.1.1 and every later release, and does not guess about a version it cannot read', () => {
    for (const version of ['25.1.1', '25.1.3', '25.2.0', '26.0.0', '26.1.2', '100.0.0'])
      expect(engineVersionProblem(version), version).toBeUndefined();
    for (const unknown of [undefined, '', 'unknown', '0.0.0', '0.0.0-dev']) expect(engineVersionProblem(unknown)).toBeUndefined();
  });

  it('reads the version where client 1.3.1 keeps it, behind its capabilities getter', () => {
    // connection.ts reads the version through this getter; if a client release moves it, this fails first.
    expect(typeof Object.getOwnPropertyDescriptor(KurrentDBClient.prototype, 'capabilities')?.get).toBe('function');
  });
});
