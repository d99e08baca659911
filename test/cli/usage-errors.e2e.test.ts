import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openBackend } from '../../src/backend/open-backend.ts';
import { makeEvent } from '../support/events.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const ledgerBin = fileURLToPath(new URL('../../bin/ledger.js', import.meta.url));
const run = (args: string[]) =>
  new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = execFile(process.execPath, [ledgerBin, ...args], (_error, _stdout, stderr) => resolve({ code: child.exitCode, stderr }));
  });

describe('`ledger` usage errors (a real child process)', () => {
  it('exit 2, as the commands document, with what was wrong and the usage; help exits 0', async () => {
    const dir = makeTempDir();
    try {
      const refused: [string[], RegExp][] = [
        [['backup', '-d', dir.path], /required option '--to <dir>' not specified/],
        [['backup', '--to', dir.path, '-d', dir.path, '--keep', 'abc'], /'--keep <n>' argument 'abc' is invalid/],
        [['restore', '--from', dir.path, '--data-dir', dir.file('target'), '--bogus'], /unknown option '--bogus'/],
        // An import's kind and format are named from the importer's own lists, not passed on to fail (or be ignored) later.
        [
          ['import', 'plan.docx', '--dry-run', '-d', dir.path, '--kind', 'audit'],
          /'--kind <kind>' argument 'audit' is invalid\. Allowed choices are crisis-care-concordat,/,
        ],
        [
          ['import', 'plan.docx', '--dry-run', '-d', dir.path, '--format', 'pdf'],
          /'--format <format>' argument 'pdf' is invalid\. Allowed choices are text, csv, json, docx, xlsx/,
        ],
      ];
      for (const [args, message] of refused) {
        const { code, stderr } = await run(args);
        expect(code, args.join(' ')).toBe(2);
        expect(stderr).toMatch(message);
      }
      expect((await run(['backup', '--help'])).code).toBe(0);
    } finally {
      dir.remove();
    }
  }, 60_000);

  it('an argument it refuses is echoed with its ESC, DEL and C1 controls shown as escapes, never sent to the terminal raw', async () => {
    const dir = makeTempDir();
    try {
      const refused: [string[], string][] = [
        // Commander's own errors: an unknown option, an unknown command, a value an option's parser refused.
        [['view', 'plans', '-d', dir.path, '--bad\u001b[2J\u009b31m\u0085X'], "unknown option '--bad\\u001b[2J\\u009b31m\\u0085X'"],
        [['vie\u001b[31mw'], "unknown command 'vie\\u001b[31mw'"],
        [['backup', '-d', dir.path, '--to', dir.path, '--keep', '\u009b2J\u007f'], "argument '\\u009b2J\\u007f' is invalid"],
        // The command line's own: a usage error an action threw.
        [['copy', '--from', 'postgres://\u001b[31m', '--to', dir.file('target')], '--from postgres://\\u001b[31m: must be'],
      ];
      for (const [args, shown] of refused) {
        const { code, stderr } = await run(args);
        expect(code, args.join(' ')).toBe(2);
        expect(stderr).toContain(shown);
        // eslint-disable-next-line no-control-regex -- what must not reach the terminal
        expect(stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
      }
      // A command that adds its own words to Commander's errors still adds them.
      expect((await run(['view', 'plans', '-d', dir.path, '--bad\u001b[2J'])).stderr).toMatch(/--bad\\u001b\[2J'\nNothing was written\.\n/);
    } finally {
      dir.remove();
    }
  }, 60_000);

  it('a value an action refuses itself is printed, and exits 2', async () => {
    const dir = makeTempDir();
    try {
      // A ledger with one event in it.
      const backend = await openBackend({ store: { kind: 'sqlite' }, dataDir: dir.path });
      const event = makeEvent();
      await backend.events.append({ stream: 'plan-p', events: [event], expectedRevision: 'noStream', commandId: event.commandId });
      await backend.close();
      const { code, stderr } = await run(['access-log', 'archive', '--before', '2999-01', '-d', dir.path]);
      expect(code).toBe(2);
      expect(stderr).toMatch(/--before 2999-01: the current month \(\d{4}-\d{2}\) is still open/);
    } finally {
      dir.remove();
    }
  }, 60_000);

  it('goes on to the end when the reader of its output goes away, then exits 5 saying what it printed is lost', async () => {
    const child = spawn(process.execPath, [ledgerBin, 'openapi'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(5);
    expect(stderr).toContain('the reader of its output went away: what it printed is lost');
  }, 60_000);

  it('the service stops as it always does (exit 0 on SIGTERM) when the reader of its output has gone away', async () => {
    const dir = makeTempDir();
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const child = spawn(
      process.execPath,
      [ledgerBin, 'serve', '--no-demo', '--host', '127.0.0.1', '--port', String(port), '-d', dir.path],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      for (let ready = false; !ready; await new Promise((resolve) => setTimeout(resolve, 100)))
        ready = await fetch(`http://127.0.0.1:${port}/health`).then(
          (res) => res.ok,
          () => false,
        );
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
      expect(stderr).not.toContain('what it printed is lost');
    } finally {
      child.kill('SIGKILL');
      dir.remove();
    }
  }, 60_000);
});
