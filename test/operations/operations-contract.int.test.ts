import { afterEach, describe, expect, it } from 'vitest';
import { openOperationStreams } from '../../src/operations/kurrentdb/operations-streams.ts';
import type { OperationRun, OperationsStore } from '../../src/operations/port.ts';
import { openSqliteOperations } from '../../src/operations/sqlite/operations-db.ts';
import { ledgerNames } from '../../src/store/kurrentdb/stream-names.ts';
import { InProcessKurrentDBStandIn } from '../store/kurrentdb/stand-in/in-process-kurrentdb-stand-in.ts';
import { makeTempDir } from '../support/temp-dir.ts';

/** A factory of instances sharing one ledger's operations store, per backend. */
type Shared = { instance: () => OperationsStore; cleanup: () => void };

const backends: [string, () => Shared][] = [
  [
    'embedded (operations.db shared by processes on the data dir)',
    () => {
      const dir = makeTempDir('ledger-operations-');
      return { instance: () => openSqliteOperations(dir.path), cleanup: () => dir.remove() };
    },
  ],
  [
    'KurrentDB adapter on the in-process stand-in (not KurrentDB)',
    () => {
      const engine = new InProcessKurrentDBStandIn();
      return {
        instance: () => openOperationStreams({ client: engine, address: 'stand-in:2113', names: ledgerNames() }),
        cleanup: () => {},
      };
    },
  ],
];

const run = (overrides: Partial<OperationRun>): OperationRun => ({
  kind: 'backup',
  startedAt: '2026-12-01T02:00:00.000Z',
  finishedAt: '2026-12-01T02:00:09.000Z',
  ok: true,
  detail: 'done',
  by: 'schedule:a',
  ...overrides,
});

describe.each(backends)('the operations store: %s', (_name, make) => {
  let shared: Shared;
  const opened: OperationsStore[] = [];
  const instance = () => {
    const store = shared.instance();
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    shared.cleanup();
  });

  it('lets exactly one of several instances claim each scheduled occurrence, however they race', async () => {
    shared = make();
    const instances = [instance(), instance(), instance()];
    const claims = await Promise.all(instances.map((store, i) => store.claim('backup', '2026-12-01T02:00:00.000Z', `instance-${i}`)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await instances[0]!.claim('backup', '2026-12-01T02:00:00.000Z', 'late')).toBe(false);
    expect(await instances[1]!.claim('backup', '2026-12-02T02:00:00.000Z', 'instance-1')).toBe(true);
    expect(await instances[2]!.claim('archive', '2026-12-01T02:00:00.000Z', 'instance-2')).toBe(true);
  });

  it('every instance reads the last run and the last successful run of each kind, whoever recorded them', async () => {
    shared = make();
    const [a, b] = [instance(), instance()];
    expect(await b.latest('backup')).toEqual({ last: undefined, lastOk: undefined });
    const good = run({ bytes: 1024, location: '/backups/one' });
    const failed = run({ ok: false, detail: 'disk full', finishedAt: '2026-12-02T02:00:01.000Z' });
    const verified = run({ kind: 'verify', by: 'cli:jo', detail: 'the ledger holds' });
    await a.record(good);
    await a.record(verified);
    await a.record(failed);
    expect(await b.latest('backup')).toEqual({ last: failed, lastOk: good });
    expect(await b.latest('verify')).toEqual({ last: verified, lastOk: verified });
  });
});
