import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteAccessLog } from '../../src/access/sqlite/access-log.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const entry = (requestId: string) => ({
  at: new Date().toISOString(),
  principalId: 'api-key:0123456789abcdef',
  principalName: 'Robin Auditor',
  role: 'auditor',
  organisation: 'Dorset CCG',
  method: 'GET',
  route: '/plans/:planId/events',
  path: '/plans/dorset/events',
  planId: 'dorset',
  status: 200,
  requestId,
  ip: '127.0.0.1',
});

/** The figure behind ledger_access_log_backlog: records accepted and not yet durable. */
describe('the access log write backlog', () => {
  const dir = makeTempDir('ledger-backlog-');
  afterEach(() => dir.remove());

  it('counts records from the moment they are accepted until their commit, then none', async () => {
    const log = openSqliteAccessLog(dir.file('access-log.db'));
    try {
      expect(log.backlog?.()).toBe(0);
      const pending = Array.from({ length: 25 }, (_, i) => log.record(entry(`req-${i}`)));
      expect(log.backlog?.()).toBe(25);
      await Promise.all(pending);
      expect(log.backlog?.()).toBe(0);
      expect((await log.query({ limit: 100 })).entries).toHaveLength(25);
    } finally {
      await log.close();
    }
  });
});
