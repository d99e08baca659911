import { describe, expect, it } from 'vitest';
import { buildCli, COMMAND_NAMES } from '../../src/cli/main.ts';

const topLevel = async (named?: string) => (await buildCli(named)).commands.map((command) => command.name());

describe('the ledger command line, which loads only the module of the command it runs', () => {
  it('names each command once, and the command line with no command has every command of the table', async () => {
    expect(new Set(COMMAND_NAMES).size).toBe(COMMAND_NAMES.length);
    expect(await topLevel()).toEqual(COMMAND_NAMES);
  });

  it('has each command when a command line names it, and a name it does not know gives every command', async () => {
    for (const name of COMMAND_NAMES) expect(await topLevel(name), name).toContain(name);
    expect(await topLevel('no-such-command')).toEqual(COMMAND_NAMES);
  });
});
