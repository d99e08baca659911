import { describe, expect, it } from 'vitest';
import { engineAddress, splitConnectionString } from '../../src/store/kurrentdb/connection.ts';

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
