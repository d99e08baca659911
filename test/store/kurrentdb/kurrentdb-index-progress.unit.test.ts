import { describe, expect, it } from 'vitest';
import { makeEvents, uniqueId } from '../../support/events.ts';
import { useStandInStores } from './stand-in/use-stand-in-stores.ts';

/*
 * An instance's first start on a large existing ledger reads the whole ledger from the engine
 * into its position index before it serves: that must show progress, not look hung. Run on the
 * in-process stand-in (NOT KurrentDB).
 */
describe('progress while the KurrentDB position index catches up at open (in-process stand-in, not KurrentDB)', () => {
  const stores = useStandInStores();

  it('a long first build prints progress lines and a last line with the total; a short catch-up prints nothing', async () => {
    const writer = await stores.open();
    for (let i = 0; i < 5; i++) {
      await writer.append({ stream: `plan-${i}`, events: makeEvents(500), expectedRevision: 'noStream', commandId: uniqueId('c') });
    }

    const lines: string[] = [];
    // Every page is "a while" here, so each one prints (the engine is read 1,000 events a page).
    await stores.open('fresh.db', { onIndexProgress: (line) => lines.push(line), indexProgressEveryMs: 0 });
    const progress = lines.slice(0, -1);
    expect(progress.map((line) => line.match(/: (\d+) events, /)?.[1])).toEqual(['1000', '2000', '2500']);
    expect(progress[0]).toMatch(
      /^indexing the ledger in KurrentDB at stand-in:2113 into .*fresh\.db: 1000 events, \d+\.\d% of the engine's log, \d+ events\/s$/,
    );
    expect(progress.at(-1)).toMatch(/, 100\.0% of the engine's log, /);
    expect(lines.at(-1)).toMatch(/^indexed the ledger in KurrentDB at stand-in:2113: 2500 events \(2500 new\) in \d+\.\d s$/);

    const quiet: string[] = [];
    await stores.open('fresh.db', { onIndexProgress: (line) => quiet.push(line) });
    expect(quiet).toEqual([]);
  });
});
