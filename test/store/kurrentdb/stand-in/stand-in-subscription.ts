import { EventEmitter } from 'node:events';
import type { AllStreamResolvedEvent } from '@kurrent/kurrentdb-client';
import type { EngineSubscription } from '../../../../src/store/kurrentdb/engine-client.ts';

/**
 * A `$all` subscription of the in-process stand-in (NOT KurrentDB): records offered to it are
 * delivered asynchronously, in order, when they pass its filter. Both ways it ends follow client
 * 1.3.1, whose subscription is a Transform piped from the gRPC stream (dist/streams/utils/
 * Subscription.js), and grpc-js 1.14, which ends that stream before reporting a failed status
 * (build/src/client.js, onReceiveStatus: push(null), then emit('error')):
 * - fail() (a dropped connection) emits 'error', then 'end' and 'close';
 * - unsubscribe() cancels the call: the client ignores the cancellation error, so only 'end'
 *   and 'close' are emitted.
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
    setImmediate(() => {
      this.emit('error', error);
      this.emit('end');
      this.emit('close');
    });
  }

  async unsubscribe(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.onClose();
    setImmediate(() => {
      this.emit('end');
      this.emit('close');
    });
  }
}
