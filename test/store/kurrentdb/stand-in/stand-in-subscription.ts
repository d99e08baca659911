import { EventEmitter } from 'node:events';
import type { AllStreamResolvedEvent } from '@kurrent/kurrentdb-client';
import type { EngineSubscription } from '../../../../src/store/kurrentdb/engine-client.ts';

/**
 * A `$all` subscription of the in-process stand-in (NOT KurrentDB): records offered to it are
 * delivered asynchronously, in order, when they pass its filter; fail() ends it with an error
 * as a dropped connection does.
 */
export class StandInSubscription extends EventEmitter implements EngineSubscription {
  #closed = false;

  constructor(
    private readonly accepts: (record: unknown) => boolean,
    private readonly toEvent: (record: unknown) => AllStreamResolvedEvent,
    private readonly onClose: () => void,
  ) {
    super();
  }

  offer(record: unknown): void {
    if (this.#closed || !this.accepts(record)) return;
    const event = this.toEvent(record);
    setImmediate(() => {
      if (!this.#closed) this.emit('data', event);
    });
  }

  fail(error: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    this.onClose();
    setImmediate(() => this.emit('error', error));
  }

  async unsubscribe(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.onClose();
  }
}
