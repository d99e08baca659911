import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { openHistoryOnReadConnection, openHistoryStore } from '../../projections/history/sqlite/history-store.ts';
import { noHistoryWrite, type HistoryWrite } from '../../projections/history/storage/history-store.ts';
import { openReadStore } from '../../projections/runner/sqlite/read-store.ts';
import { makeTempDir } from '../support/temp-dir.ts';

/**
 * The state of the history a read saw (`readTogether`): what lets the parts of one read, read on
 * several connections, know they saw one state. On a real read store file, with a second
 * connection as a read worker has.
 */
const dirs: ReturnType<typeof makeTempDir>[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

const openPair = () => {
  const dir = makeTempDir('history-state-');
  dirs.push(dir);
  const file = dir.file('read-models.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const writer = openHistoryStore(db);
  const reader = openHistoryOnReadConnection(file);
  return { db, writer, reader: reader.history, close: () => (reader.close(), db.close()) };
};

const cursorOf = (plan: string, lastPos: number): HistoryWrite => ({
  ...noHistoryWrite(),
  cursors: [{ plan, cursor: JSON.stringify({ lastPos }), dirty: false, knowledgePos: -1 }],
});

describe("the history's state as a read sees it", () => {
  it('is the same on two connections in one state, and changes with every write and reset, whichever connection commits it', () => {
    const { db, writer, reader, close } = openPair();
    try {
      const stateOf = (store: typeof writer) => store.readTogether(() => undefined).state;
      const seen = new Set<string>();
      const expectNewState = () => {
        const state = stateOf(writer);
        expect(stateOf(reader)).toBe(state);
        expect(seen.has(state), `state ${state} seen before`).toBe(false);
        seen.add(state);
      };
      expectNewState();
      db.transaction(() => writer.write(cursorOf('plan-a', 1)))();
      expectNewState();
      // A plan written again: its cursor changes in place.
      db.transaction(() => writer.write(cursorOf('plan-a', 2)))();
      expectNewState();
      db.transaction(() =>
        writer.write({ ...cursorOf('plan-b', 3), cursors: [...cursorOf('plan-b', 3).cursors, ...cursorOf('plan-a', 3).cursors] }),
      )();
      expectNewState();
      db.transaction(() => writer.reset())();
      expectNewState();
      // A write by a release that knows nothing of the count (it writes the cursors' table as it always did) is counted too.
      db.prepare("INSERT INTO history_cursors (plan, dirty, knowledge_pos, cursor) VALUES ('plan-c', 0, -1, '{}')").run();
      expectNewState();
    } finally {
      close();
    }
  });

  it('stays as the read began while another connection commits during it', () => {
    const { db, writer, reader, close } = openPair();
    try {
      db.transaction(() => writer.write(cursorOf('plan-a', 1)))();
      const before = writer.readTogether(() => undefined).state;
      const during = reader.readTogether(() => {
        const cursorAtStart = reader.cursor('plan-a');
        db.transaction(() => writer.write(cursorOf('plan-a', 2)))();
        // In its transaction the read still sees the state it began in.
        return { cursorAtStart, cursorAfterCommit: reader.cursor('plan-a') };
      });
      expect(during.state).toBe(before);
      expect(during.value.cursorAfterCommit).toBe(during.value.cursorAtStart);
      expect(reader.readTogether(() => undefined).state).not.toBe(before);
    } finally {
      close();
    }
  });

  it("is never one another connection may see, when read inside this connection's write not yet committed", async () => {
    const dir = makeTempDir('history-state-');
    dirs.push(dir);
    const file = dir.file('read-models.db');
    const store = openReadStore(file);
    const other = openHistoryOnReadConnection(file);
    try {
      store.saveText('plan-status', { version: 1, position: 1n }, [], [], cursorOf('plan-a', 1));
      // A read on this connection while a transaction of the read store waits (a parallel rebuild's, between its
      // saves) sees the saves not yet committed; the transaction is then rolled back, and another save committed.
      let inside!: { state: string; value: string | undefined };
      await expect(
        store.together(async () => {
          store.saveText('plan-status', { version: 1, position: 2n }, [], [], cursorOf('plan-a', 2));
          inside = store.history.readTogether(() => store.history.cursor('plan-a'));
          throw new Error('the rebuild failed');
        }),
      ).rejects.toThrow('the rebuild failed');
      store.saveText('plan-status', { version: 1, position: 3n }, [], [], cursorOf('plan-b', 3));
      const after = other.history.readTogether(() => other.history.cursor('plan-a'));
      expect(after.value).not.toBe(inside.value);
      // Two different histories: had they one state, parts read in them would be merged as of one.
      expect(after.state).not.toBe(inside.state);
    } finally {
      other.close();
      store.close();
    }
  });
});
