import type { EventEmitter } from 'node:events';

/**
 * Resolves true when `at()` reaches `target`, looked at each time the emitter says 'position', or
 * with whether it has when `timeoutMs` runs out; the listener and the timer are let go of either way.
 */
export const untilPosition = (emitter: EventEmitter, at: () => bigint, target: bigint, timeoutMs: number): Promise<boolean> =>
  new Promise((resolve) => {
    const onPosition = () => {
      if (at() < target) return;
      cleanup();
      resolve(true);
    };
    const timer = setTimeout(() => (cleanup(), resolve(at() >= target)), timeoutMs);
    const cleanup = () => (clearTimeout(timer), emitter.off('position', onPosition));
    emitter.on('position', onPosition);
  });
