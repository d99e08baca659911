import { afterEach, describe, expect, it } from 'vitest';
import { openBackend } from '../../src/backend/open-backend.ts';
import { keysCommand } from '../../src/cli/keys-command.ts';
import { makeTempDir } from '../support/temp-dir.ts';

/**
 * `ledger keys list` prints each key's name and organisation as the key store holds them. A key
 * made before DEL and the C1 controls were refused may hold one, and a U+009B opens an escape
 * sequence on some terminals: it is shown as its escape, on one line, never sent to the terminal.
 */
describe('ledger keys list', () => {
  const dirs: ReturnType<typeof makeTempDir>[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  it('shows a control character in a stored name or organisation as its escape', async () => {
    const dir = makeTempDir('ledger-keys-list-');
    dirs.push(dir);
    const backend = await openBackend({ store: { kind: 'sqlite' }, dataDir: dir.path });
    await backend.keys.create({ name: 'Jo\u009b2J Bloggs', role: 'auditor', organisation: 'St John\u0092s Ambulance', createdBy: 'test' });
    await backend.close();

    const lines: string[] = [];
    await keysCommand((text) => void lines.push(text)).parseAsync(['list', '-d', dir.path], { from: 'user' });
    expect(lines).toHaveLength(1);
    // eslint-disable-next-line no-control-regex -- the test looks for control characters
    expect(lines[0]).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(lines[0]).toContain('"St John\\u0092s Ambulance"');
    expect(lines[0]).toContain('"Jo\\u009b2J Bloggs"');
  });
});
