import { execFile, execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/temp-dir.ts';
import { readmeCommands, type ReadmeCommand } from './readme-commands.ts';

/**
 * Runs every shell command of the README's ```sh blocks, in order, as a new user would: from a
 * checkout (here a directory of links to this one, so files the examples write land apart from
 * the repository) with a real `ledger serve` started there on a fresh ./data and a free port,
 * which stands in for localhost:3000. A command fails its test on a non-zero exit, and curl
 * fails on any HTTP error status (it runs with --fail-with-body). Variables the README exports
 * carry over to the commands after it. Commands the README marks
 * `# … not run by the README test: <why>` are listed as skipped tests, with the reason.
 */
const repo = fileURLToPath(new URL('../..', import.meta.url));
const commands = readmeCommands(fs.readFileSync(path.join(repo, 'README.md'), 'utf8'));
/** The variables the README sets with `export NAME=…`: kept from one command to the next. */
const carried = [
  ...new Set(commands.flatMap((c) => [...c.code.matchAll(/(?:^|\n)\s*export ([A-Za-z_][A-Za-z0-9_]*)=/g)].map((m) => m[1]!))),
];

const titleOf = (c: ReadmeCommand) => {
  const first = c.code.split('\n')[0]!.replace(/\s*\\$/, '');
  return `README line ${c.line}: ${first.length > 110 ? `${first.slice(0, 110)}…` : first}`;
};

/** The environment of a user who has set nothing: the README's defaults (./data, port 3000) apply. */
const userEnv = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('LEDGER_') || name === 'PORT' || name === 'HOST') delete env[name];
  return env;
};

/** The README's examples use curl and jq; without them its commands cannot run as a user runs them. */
const missingTools = ['curl', 'jq'].filter((tool) => {
  try {
    execFileSync('bash', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return false;
  } catch {
    return true;
  }
});
if (missingTools.length)
  console.log(`README test skipped: ${missingTools.join(' and ')} not installed (.ci/run installs them with apt-get)`);

describe.skipIf(missingTools.length > 0).sequential('the README, run as written against a fresh `ledger serve`', () => {
  const dir = makeTempDir('ledger-readme-');
  const checkout = dir.file('checkout');
  const state = dir.file('exported-variables.sh');
  let server: ChildProcessWithoutNullStreams;
  let serverOutput = '';
  let port = '';
  let failed = false;

  beforeAll(async () => {
    fs.mkdirSync(checkout);
    for (const entry of fs.readdirSync(repo))
      if (!['.git', 'data', 'coverage'].includes(entry)) fs.symlinkSync(path.join(repo, entry), path.join(checkout, entry));
    server = spawn(process.execPath, ['bin/ledger.js', 'serve', '--port', '0'], { cwd: checkout, env: userEnv() });
    port = await new Promise<string>((resolve, reject) => {
      server.stdout.on('data', (chunk: Buffer) => {
        serverOutput += chunk.toString();
        const listening = /"url":"http:\/\/[^"]+:(\d+)"/.exec(serverOutput);
        if (listening) resolve(listening[1]!);
      });
      server.stderr.on('data', (chunk: Buffer) => (serverOutput += chunk.toString()));
      server.once('exit', (code) => reject(new Error(`ledger serve exited ${code}:\n${serverOutput}`)));
    });
  }, 60_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
    dir.remove();
  });

  /** The command as bash runs it here: on the test's port, failing when an exported substitution fails. */
  const script = (c: ReadmeCommand) => {
    const code = c.code
      .replaceAll(/(localhost|127\.0\.0\.1):3000\b/g, `$1:${port}`)
      // `export X=$(…)` succeeds even when … fails; the plain assignment keeps its status.
      .replace(/^export ([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/, '$1=$2 && export $1');
    return [
      'set -o pipefail',
      'curl() { command curl --silent --show-error --fail-with-body "$@"; }',
      `if [ -f '${state}' ]; then . '${state}'; fi`,
      code,
      'status=$?',
      ...(carried.length ? [`declare -p ${carried.join(' ')} 2>/dev/null > '${state}'`] : []),
      'exit $status',
    ].join('\n');
  };

  for (const command of commands) {
    if (command.skip !== undefined) {
      it.skip(`${titleOf(command)} (not run: ${command.skip})`, () => undefined);
      continue;
    }
    it(
      titleOf(command),
      async (ctx) => {
        // After a failure the commands that build on it would fail for the same reason.
        if (failed) ctx.skip();
        const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
          execFile(
            'bash',
            ['-c', script(command)],
            { cwd: checkout, env: userEnv(), timeout: 60_000, maxBuffer: 64 << 20 },
            (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
          ),
        );
        if (result.code !== 0) {
          failed = true;
          expect.fail(
            [
              `README line ${command.line} exited ${result.code}:`,
              command.code,
              `--- stdout (end) ---\n${result.stdout.slice(-2000)}`,
              `--- stderr (end) ---\n${result.stderr.slice(-2000)}`,
              `--- ledger serve (end) ---\n${serverOutput.slice(-2000)}`,
            ].join('\n'),
          );
        }
      },
      90_000,
    );
  }

  it('shows an example for every write route under /plans and for POST /imports', async () => {
    const description = (await (await fetch(`http://127.0.0.1:${port}/openapi.json`)).json()) as { paths: Record<string, object> };
    const writeRoutes = Object.entries(description.paths)
      .filter(([url, methods]) => 'post' in methods && (url.startsWith('/plans') || url === '/imports'))
      .map(([url]) => url);
    const posted = commands
      .filter((c) => c.skip === undefined && /-X POST/.test(c.code))
      .flatMap((c) => [...c.code.matchAll(/localhost:3000(\/[^\s'"?]*)/g)].map((m) => m[1]!));
    const pattern = (url: string) => new RegExp(`^${url.replaceAll(/\{[^}]+\}/g, '[^/]+')}$`);
    const withoutExample = writeRoutes.filter((url) => !posted.some((p) => pattern(url).test(p)));
    expect(writeRoutes.length).toBeGreaterThan(15);
    expect(withoutExample).toEqual([]);
  });
});
