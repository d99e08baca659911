import { describe, expect, it } from 'vitest';
import { readmeCommands } from './readme-commands.ts';

const block = (...lines: string[]) => ['Some prose.', '', '```sh', ...lines, '```', '', '```json', '{ "not": "shell" }', '```'].join('\n');

describe('reading the shell commands of a README', () => {
  it('joins lines while a quote is open or a line ends in a backslash, and keeps each command’s first line number', () => {
    const commands = readmeCommands(
      block(
        `curl -X POST localhost:3000/plans -d '{`,
        `  "planId": "dorset-ccc" }'`,
        '',
        'curl -X POST localhost:3000/plans/dorset-ccc/sections \\',
        `  -d '{ "sectionRef": "1" }'`,
      ),
    );
    expect(commands).toEqual([
      { line: 4, code: `curl -X POST localhost:3000/plans -d '{\n  "planId": "dorset-ccc" }'`, comment: '' },
      { line: 7, code: `curl -X POST localhost:3000/plans/dorset-ccc/sections \\\n  -d '{ "sectionRef": "1" }'`, comment: '' },
    ]);
  });

  it('separates trailing comments, not a # inside quotes or a word, and reads the skip marker with its reason', () => {
    const commands = readmeCommands(
      block(
        '# a comment line on its own is no command',
        `curl 'localhost:3000/x#y' -H "a: #1" # fetch it`,
        'npm install && npm test   # the suite — not run by the README test: it is part of it',
      ),
    );
    expect(commands).toEqual([
      { line: 5, code: `curl 'localhost:3000/x#y' -H "a: #1"`, comment: 'fetch it' },
      {
        line: 6,
        code: 'npm install && npm test',
        comment: 'the suite — not run by the README test: it is part of it',
        skip: 'it is part of it',
      },
    ]);
  });

  it('refuses a command whose quote never closes', () => {
    expect(() => readmeCommands(block(`curl -d '{ "open": 1`))).toThrow(/line 4: a command never ends/);
  });
});
