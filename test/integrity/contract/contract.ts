import { afterEach, beforeEach, describe } from 'vitest';
import type { IntegrityStore } from '../../../src/integrity/port.ts';
import type { EventStore } from '../../../src/store/port.ts';
import { checkpointContract } from './checkpoints.ts';
import { copyContract } from './copy.ts';
import { leavesContract } from './leaves.ts';
import { merkleNodeContract } from './merkle-nodes.ts';
import { verificationContract } from './verification.ts';

/** A backend's two ledger ports over one ledger. */
export interface LedgerPorts {
  events: EventStore;
  integrity: IntegrityStore;
}

/** One empty ledger for one test: a fresh SQLite data dir, or a fresh ledger on a KurrentDB server. */
export interface IntegrityContractTarget extends LedgerPorts {
  /** Opens the ports again on the same ledger (what a restarted process sees). */
  reopen(): Promise<LedgerPorts>;
  /** Closes every port opened and releases the ledger (temp files). */
  dispose(): Promise<void>;
}

export type IntegrityContractFactory = () => Promise<IntegrityContractTarget>;

/** What each part of the suite sees of the current test's backend. */
export interface IntegrityContractContext {
  ports(): LedgerPorts;
  reopen(): Promise<LedgerPorts>;
  /** A second, empty ledger on the same kind of backend (the target of a copy). */
  another(): Promise<LedgerPorts>;
}

/**
 * The integrity-port contract, written once for every backend. Unlike the event-store
 * contract, each test gets an empty ledger of its own: leaves are numbered from the ledger's
 * first event, and checkpoints are one per tree size of the whole ledger.
 */
export const describeIntegrityContract = (name: string, factory: IntegrityContractFactory): void => {
  describe(`IntegrityStore contract: ${name}`, () => {
    let targets: IntegrityContractTarget[] = [];

    beforeEach(async () => {
      targets = [await factory()];
    });

    afterEach(async () => {
      for (const target of targets.splice(0)) await target.dispose();
    });

    const current = () => {
      const target = targets[0];
      if (!target) throw new Error('no ledger: called outside a test');
      return target;
    };
    const context: IntegrityContractContext = {
      ports: () => current(),
      reopen: () => current().reopen(),
      another: async () => {
        const target = await factory();
        targets.push(target);
        return target;
      },
    };

    leavesContract(context);
    checkpointContract(context);
    merkleNodeContract(context);
    verificationContract(context);
    copyContract(context);
  });
};
