export type HeadListener = (headPosition: bigint) => void;

/**
 * Subscribers to commits. A throwing listener must not stop the others or the writer,
 * so errors go to a reporter instead of propagating into the commit path.
 */
export class Listeners {
  #listeners = new Set<HeadListener>();

  constructor(private readonly onError: (error: unknown) => void) {}

  add(listener: HeadListener): () => void {
    // Wrap so the same function subscribed twice is two subscriptions, each removable once.
    const entry: HeadListener = (head) => listener(head);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  notify(headPosition: bigint): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(headPosition);
      } catch (error) {
        this.onError(error);
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}
