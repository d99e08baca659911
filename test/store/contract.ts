import { afterEach, beforeEach, describe } from 'vitest';
import type { EventStore } from '../../src/store/port.ts';
import { appendContract } from './contract-append.ts';
import { expectedRevisionContract } from './contract-expected-revision.ts';
import { lifecycleContract } from './contract-lifecycle.ts';
import { readContract } from './contract-read.ts';

/** One backend for one test: a fresh SQLite file, or a KurrentDB connection. */
export interface ContractTarget {
  store: EventStore;
  /** Opens another store on the same backend, e.g. to see what survived close(). */
  reopen(): Promise<EventStore>;
  /** Releases the backend (temp files). The suite closes every store first. */
  dispose(): Promise<void>;
}

export type ContractFactory = () => Promise<ContractTarget>;

/** What each part of the suite sees of the current test's backend. */
export interface ContractContext {
  store(): EventStore;
  reopen(): Promise<EventStore>;
}

/**
 * The event-store contract, written once for every adapter. Tests never assume an empty
 * backend: streams get unique names and reads are filtered to them, so a shared
 * KurrentDB server that other tests have written to passes the same suite.
 */
export const describeEventStoreContract = (name: string, factory: ContractFactory): void => {
  describe(`EventStore contract: ${name}`, () => {
    let target: ContractTarget | undefined;
    let opened: EventStore[] = [];

    beforeEach(async () => {
      target = await factory();
      opened = [target.store];
    });

    afterEach(async () => {
      await Promise.all(opened.map((store) => store.close()));
      await target?.dispose();
      target = undefined;
    });

    const context: ContractContext = {
      store: () => {
        if (!target) throw new Error('no store: called outside a test');
        return target.store;
      },
      reopen: async () => {
        if (!target) throw new Error('no store: called outside a test');
        const store = await target.reopen();
        opened.push(store);
        return store;
      },
    };

    appendContract(context);
    expectedRevisionContract(context);
    readContract(context);
    lifecycleContract(context);
  });
};
