import { openKurrentEventStore } from '../../../src/store/kurrentdb/kurrentdb-event-store.ts';
import { makeTempDir } from '../../support/temp-dir.ts';
import { describeEventStoreContract } from '../contract.ts';
import { InProcessKurrentDBStandIn } from './stand-in/in-process-kurrentdb-stand-in.ts';

/*
 * The KurrentDB adapter's own logic against the in-process stand-in: NOT evidence that
 * KurrentDB works (see kurrentdb-server.test.ts for the suites that run on a real server).
 */
describeEventStoreContract('KurrentDB adapter on the in-process stand-in (adapter logic only, not KurrentDB)', async () => {
  const engine = new InProcessKurrentDBStandIn();
  const dir = makeTempDir();
  const open = () =>
    openKurrentEventStore({ client: engine, address: 'in-process stand-in', indexFile: dir.file('positions.db'), ownsClient: false });
  return { store: await open(), reopen: open, dispose: async () => dir.remove() };
});
