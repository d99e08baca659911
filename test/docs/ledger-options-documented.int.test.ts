import type { Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../../src/cli/main.ts';

/**
 * Operators run what the README and the pages under docs/ show: a `ledger` command line in a code
 * span or a code block whose command or option the command line no longer has fails at once (exit 2),
 * usually in the middle of a procedure (a restore drill, a move to KurrentDB). This reads every page
 * and holds each such command line to the real command line's commands and options.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));

const markdownFiles = (folder: string): string[] =>
  fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? markdownFiles(full) : entry.name.endsWith('.md') ? [full] : [];
  });

interface Shown {
  /** `file:line` */
  at: string;
  /** From the command's name on: `verify --checkpoint kept.json --quick`. */
  text: string;
}

/**
 * A command line as written: `ledger <command> …` or `npm run [--silent] ledger -- <command> …`, where a command starts
 * (perhaps after variables set for it), so that a log line quoted in a span ("the ledger store is unavailable") is none.
 */
const COMMAND_LINE = /^\s*(?:[A-Z_]+=\S*\s+)*(?:npm run (?:--silent )?ledger -- |ledger )([a-z][a-z-]*(?: [^\n]*)?)$/;

/**
 * The `ledger` command lines a page shows: in each code span, and on each line of a fenced block, up to where the shell
 * would end the command (a comment, a pipe, a redirection, `;`, `&&`, the end of a command substitution).
 */
const shownCommandLines = (file: string, markdown: string): Shown[] => {
  const shown: Shown[] = [];
  const take = (code: string, line: number) => {
    // Each place `ledger` starts a command in it: a pipe or `&&` may put two on one line.
    for (const piece of code.split(/\s*(?:\||&&|;|\$\()\s*/)) {
      // A placeholder (`<data dir>`) is a value; a `<` or `>` left is a redirection.
      const command = piece
        .replace(/<[^<>\n]*>/g, 'VALUE')
        .replace(/\s+#.*$/, '')
        .replace(/\s*[<>)].*$/, '');
      const match = COMMAND_LINE.exec(command);
      if (match) shown.push({ at: `${path.relative(root, file)}:${line}`, text: match[1]! });
    }
  };
  let fence: string | undefined;
  /** A block's command continued on the next line (`\` at the end), and the line it began on. */
  let continued: { text: string; line: number } | undefined;
  markdown.split('\n').forEach((text, index) => {
    const opening = /^\s*(```|~~~)/.exec(text);
    if (opening && continued === undefined) {
      fence = fence === undefined ? opening[1] : fence === opening[1] ? undefined : fence;
      return;
    }
    if (fence === undefined) {
      for (const span of text.matchAll(/`([^`\n]+)`/g)) take(span[1]!, index + 1);
      return;
    }
    const whole = { text: `${continued?.text ?? ''} ${text}`, line: continued?.line ?? index + 1 };
    if (text.endsWith('\\')) continued = { text: whole.text.slice(0, -1), line: whole.line };
    else {
      continued = undefined;
      take(whole.text, whole.line);
    }
  });
  return shown;
};

/** The options a command takes, long and short (`--data-dir`, `-d`), its own and its help. */
const optionsOf = (command: Command): Set<string> =>
  new Set(['--help', '-h', ...command.options.flatMap((option) => [option.long, option.short].filter((flag): flag is string => !!flag))]);

/** What is wrong with a command line as shown, or undefined: the command and each option must be the real command line's. */
const problemWith = (program: Command, { text }: Shown): string | undefined => {
  const words = text.split(/\s+/);
  let command = program.commands.find((c) => c.name() === words[0]);
  if (!command) return `no command "${words[0]}"`;
  const sub = command.commands.find((c) => c.name() === words[1]);
  if (sub) command = sub;
  else if (command.commands.length > 0 && words[1] !== undefined && /^[a-z]/.test(words[1]))
    return `"${command.name()}" has no command "${words[1]}"`;
  const options = optionsOf(command);
  // Every option, also one in a synopsis's brackets (`[--quick]`) or given its value with `=`; a value's own dashes
  // (`2015-10`, `dorset-ccc`) follow a letter or digit and are none.
  const given = [...text.matchAll(/(?<![\w-])(--?[a-zA-Z][a-z-]*)/g)].map((m) => m[1]!);
  const missing = given.filter((flag) => !options.has(flag));
  return missing.length ? `"${command.name()}" takes no ${missing.join(', ')}` : undefined;
};

describe('the ledger command lines the docs show', () => {
  let program: Command;
  beforeAll(async () => {
    program = await buildCli();
  });

  it('finds command lines in code spans and code blocks, cut where the shell ends them', () => {
    const shown = shownCommandLines(
      path.join(root, 'example.md'),
      [
        'Run `ledger verify --quick` or `npm run --silent ledger -- keys create --name "A" --key-only` now;',
        'the ledger is not a command here, nor is `ledger-signing-key.pem`, nor a log line, `the ledger store is unavailable`.',
        '```sh',
        'ledger keys list -d data | head   # the keys',
        'ledger verify [-d <data dir>] [--quick] > out.txt',
        'ledger restore --from backup \\',
        '  --data-dir restored',
        'LEDGER_DATA_DIR=/srv/ledger ledger rebuild',
        'export KEY=$(npm run --silent ledger -- keys create --role viewer --key-only)',
        '```',
      ].join('\n'),
    );
    expect(shown.map((s) => s.text)).toEqual([
      'verify --quick',
      'keys create --name "A" --key-only',
      'keys list -d data',
      'verify [-d VALUE] [--quick]',
      'restore --from backup    --data-dir restored',
      'rebuild',
      'keys create --role viewer --key-only',
    ]);
  });

  it('refuses a command, a subcommand or an option the command line does not have', () => {
    const at = 'example.md:1';
    expect(problemWith(program, { at, text: 'verify --quick --checkpoint kept.json' })).toBeUndefined();
    expect(problemWith(program, { at, text: 'keys create --name x --role viewer -d data' })).toBeUndefined();
    expect(problemWith(program, { at, text: 'verify --fast' })).toBe('"verify" takes no --fast');
    expect(problemWith(program, { at, text: 'keys make --name x' })).toBe('"keys" has no command "make"');
    expect(problemWith(program, { at, text: 'check-ledger' })).toBe('no command "check-ledger"');
  });

  it('every `ledger` command line in the README and the pages under docs/ names a command and options the command line has', () => {
    const shown = [path.join(root, 'README.md'), ...markdownFiles(path.join(root, 'docs'))].flatMap((file) =>
      shownCommandLines(file, fs.readFileSync(file, 'utf8')),
    );
    expect(shown.length).toBeGreaterThan(100);
    const wrong = shown.flatMap((s) => {
      const problem = problemWith(program, s);
      return problem ? [`${s.at}: ledger ${s.text}: ${problem}`] : [];
    });
    expect(wrong, 'command lines in the docs the ledger command would refuse').toEqual([]);
  });
});
