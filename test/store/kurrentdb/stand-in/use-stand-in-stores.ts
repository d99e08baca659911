import { afterEach, beforeEach } from 'vitest';
import { openKurrentEventStore, type KurrentEventStore } from '../../../../src/store/kurrentdb/kurrentdb-event-store.ts';
import { makeTempDir } from '../../../support/temp-dir.ts';
import { InProcessKurrentDBStandIn, type StandInOptions } from './in-process-kurrentdb-stand-in.ts';

/**
 * Per-test KurrentDB adapter instances on one in-process stand-in (NOT KurrentDB): open()
 * gives an instance with its own position index file, as a service instance has; every
 * instance is closed and the temp dir removed after the test.
 */
export const useStandInStores = (options: StandInOptions = {}) => {
  let dir: ReturnType<typeof makeTempDir> | undefined;
  let engine: InProcessKurrentDBStandIn | undefined;
  let opened: KurrentEventStore[] = [];
  let instances = 0;

  beforeEach(() => {
    dir = makeTempDir();
    engine = new InProcessKurrentDBStandIn(options);
    opened = [];
  });
  afterEach(async () => {
    await Promise.all(opened.map((store) => store.close()));
    dir?.remove();
  });

  const current = () => {
    if (!dir || !engine) throw new Error('useStandInStores: called outside a test');
    return { dir, engine };
  };
  const open = async (indexName = `instance-${++instances}.db`, extra: Partial<Parameters<typeof openKurrentEventStore>[0]> = {}) => {
    const { dir, engine } = current();
    const store = await openKurrentEventStore({
      client: engine,
      address: 'stand-in:2113',
      indexFile: dir.file(indexName),
      ownsClient: false,
      onFollowError: () => undefined,
      ...extra,
    });
    opened.push(store);
    return store;
  };
  return { open, engine: () => current().engine, file: (name: string) => current().dir.file(name) };
};
