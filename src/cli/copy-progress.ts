import cliProgress from 'cli-progress';
import type { CopyPhase, CopyProgressListener } from '../copy/copy-end.ts';

/**
 * One progress bar per phase of `ledger copy` on stderr (checking a resumed target, verifying
 * the source, copying, verifying and comparing the target), each with its rate and time left.
 * Only on a terminal: a log or a pipe gets the summary lines the command prints at the end.
 */
export const copyProgressBars = (enabled: boolean): { listener: CopyProgressListener; stop: () => void } => {
  if (!enabled || !process.stderr.isTTY) return { listener: () => {}, stop: () => {} };
  const bars = new cliProgress.MultiBar(
    {
      format: '{phase} |{bar}| {percentage}% | {value}/{total} events | {speed} events/s | ETA {eta_formatted}',
      hideCursor: true,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  const open = new Map<CopyPhase, { bar: cliProgress.SingleBar; started: number; from: number }>();
  const listener: CopyProgressListener = ({ phase, done, total }) => {
    let entry = open.get(phase);
    if (!entry) {
      entry = { bar: bars.create(total, done, { phase: phase.padEnd(20), speed: 0 }), started: performance.now(), from: done };
      open.set(phase, entry);
    }
    const seconds = Math.max((performance.now() - entry.started) / 1000, 0.001);
    entry.bar.setTotal(total);
    entry.bar.update(done, { speed: Math.round((done - entry.from) / seconds) });
  };
  let stopped = false;
  const stop = () => {
    if (!stopped) bars.stop();
    stopped = true;
  };
  return { listener, stop };
};
