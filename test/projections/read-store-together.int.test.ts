import { afterEach, describe, expect, it } from 'vitest';
import { openReadStore } from '../../projections/runner/sqlite/read-store.ts';
import { makeTempDir } from '../support/temp-dir.ts';

let dir: ReturnType<typeof makeTempDir> | undefined;
afterEach(() => dir?.remove());

/** A read store file, and a second connection to it: what another process (or a restart) sees. */
const stores = () => {
  dir = makeTempDir('ledger-read-store-');
  const file = dir.file('read-models.db');
  return { writer: openReadStore(file), file };
};

describe('saves written together across waits (how a parallel rebuild commits a chunk)', () => {
  it('are seen by nobody else until the work resolves, then all at once with the checkpoint', async () => {
    const { writer, file } = stores();
    const other = openReadStore(file);
    try {
      const seenMidway = await writer.together(async () => {
        writer.saveText('plan-status', { version: 1, position: -1n }, [['plan-a', '{"a":1}']]);
        await new Promise((resolve) => setTimeout(resolve, 10));
        const midway = { doc: other.loadDocument('plan-status', 'plan-a'), checkpoint: other.checkpoint('plan-status') };
        writer.saveText('plan-status', { version: 1, position: 41n }, [['plan-b', '{"b":2}']]);
        return midway;
      });
      expect(seenMidway).toEqual({ doc: undefined, checkpoint: undefined });
      expect(other.loadDocument('plan-status', 'plan-a')).toBe('{"a":1}');
      expect(other.loadDocument('plan-status', 'plan-b')).toBe('{"b":2}');
      expect(other.checkpoint('plan-status')).toEqual({ version: 1, position: 41n });
    } finally {
      other.close();
      writer.close();
    }
  });

  it('leave nothing behind when the work fails after some of them', async () => {
    const { writer, file } = stores();
    writer.saveText('plan-status', { version: 1, position: 9n }, [['plan-a', '{"a":0}']]);
    const failing = writer.together(async () => {
      writer.saveText('plan-status', { version: 1, position: 9n }, [['plan-a', '{"a":1}']]);
      await new Promise((resolve) => setTimeout(resolve, 10));
      throw new Error('a worker died');
    });
    await expect(failing).rejects.toThrow('a worker died');
    // The writer goes on working, and the file holds what it held before.
    writer.saveText('plan-status', { version: 1, position: 12n }, [['plan-c', '{"c":3}']]);
    writer.close();
    const reopened = openReadStore(file);
    try {
      expect(reopened.loadDocument('plan-status', 'plan-a')).toBe('{"a":0}');
      expect(reopened.loadDocument('plan-status', 'plan-c')).toBe('{"c":3}');
      expect(reopened.checkpoint('plan-status')).toEqual({ version: 1, position: 12n });
    } finally {
      reopened.close();
    }
  });
});
