import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { openLedgerService } from '../../src/server.ts';

/**
 * Clients and operators call the addresses the README and the pages under docs/ give. A route
 * renamed or a method changed while a page still names the old one sends them to a 404 or a 405.
 * This builds the real service and holds every address a page names to the routes it has.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The service's own first path segments: a path in backticks starting with one of these names one of its addresses. */
const SERVICE_ROOTS = new Set([
  'plans',
  'ledger',
  'admin',
  'reports',
  'organisations',
  'imports',
  'access-log',
  'signed-views',
  'health',
  'ready',
  'metrics',
  'web',
  'docs',
  'openapi.json',
]);

/** Addresses a page names on purpose that the service does not answer, and why. */
const NOT_ROUTES = new Map<string, string>([
  ['/health/live', "KurrentDB's own liveness endpoint, which deploying.md says to monitor on each engine node"],
  ['DELETE /plans/dorset-ccc', "requests.md's example of a method no route takes, answered 405 method-not-allowed"],
  ['/web/assets/', "the folder the pages' stylesheets and scripts are served from: a prefix of many files, not one address"],
]);

interface Route {
  methods: Set<string>;
  pattern: RegExp;
}

/**
 * The routes of `app.printRoutes({ commonPrefix: false })`: a tree, one node a line, indented four columns a level,
 * each node the part of the path after its parent's and the methods registered there (`├── /:planId (GET, HEAD)`).
 * Wildcards (`/web/*`, a page's assets) are left out, as they would take any address under them.
 */
/**
 * A route's path as a pattern: a parameter matches one segment, or what its own pattern matches where it has one
 * (`:slug(^(?:progress-update|evidence)$)`, which find-my-way holds to the parameter alone: a group here).
 */
const patternOf = (route: string): string => {
  let pattern = '';
  for (let i = 0; i < route.length;) {
    const param = /^:[A-Za-z0-9_]+/.exec(route.slice(i));
    if (!param) {
      pattern += route[i]!.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
      i++;
      continue;
    }
    i += param[0].length;
    if (route[i] !== '(') {
      pattern += '[^/]+';
      continue;
    }
    let end = i;
    for (let depth = 0; end < route.length; end++) {
      if (route[end] === '(') depth++;
      else if (route[end] === ')' && --depth === 0) break;
    }
    pattern += `(?:${route
      .slice(i + 1, end)
      .replace(/^\^/, '')
      .replace(/\$$/, '')})`;
    i = end + 1;
  }
  return pattern;
};

const routesOf = (printed: string): Route[] => {
  const routes: Route[] = [];
  const parents: string[] = [];
  for (const line of printed.split('\n')) {
    const node = /^([\s│]*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!node) continue;
    const depth = node[1]!.length / 4;
    const full = (parents[depth - 1] ?? '') + node[2]!;
    parents[depth] = full;
    parents.length = depth + 1;
    if (!node[3] || full.includes('*')) continue;
    routes.push({ methods: new Set(node[3].split(', ')), pattern: new RegExp(`^${patternOf(full)}/?$`) });
  }
  return routes;
};

interface Named {
  at: string;
  method: string | undefined;
  /** The address with each placeholder (`:planId`, `{view}`, `<id>`, `$NOTE`) as a value. */
  path: string;
  written: string;
}

/**
 * A placeholder segment or a shell variable stands for a value; an optional part in brackets (`/organisations[/:org]`),
 * the query and trailing punctuation are not the path.
 */
const addressOf = (written: string): string =>
  written
    .replace(/\[[^\]]*\]/g, '')
    .replace(/[?#].*$/, '')
    .replace(/[.,;:)]+$/, '')
    .split('/')
    .map((segment) => (/^[:{<$]/.test(segment) ? 'VALUE' : segment.replace(/\$\(.*$|\$[A-Z_]+.*$/, 'VALUE')))
    .join('/');

const markdownFiles = (folder: string): string[] =>
  fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? markdownFiles(full) : entry.name.endsWith('.md') ? [full] : [];
  });

/** The service's address in a curl command: on this machine or the docs' example host, any port, with or without a scheme. */
const CURL_ADDRESS = /(?:https?:\/\/)?(?:localhost|127\.0\.0\.1|ledger\.example)(?::\d+)?(\/[^\s'"`)]*)/;

/**
 * The method a curl command sends: the one it names (-X, --request), HEAD for -I, POST when it sends a body
 * (-d, --data…, -F, --form, --json), else GET.
 */
const curlMethod = (command: string): string => {
  const named = /(?:^|\s)(?:-X\s*|--request\s+)([A-Z]+)\b/.exec(command);
  if (named) return named[1]!;
  if (/(?:^|\s)(?:-I|--head)\b/.test(command)) return 'HEAD';
  return /(?:^|\s)(?:-d|--data[a-z-]*|-F|--form|--json)(?:\s|=|$)/.test(command) ? 'POST' : 'GET';
};

/**
 * The curl commands of a fenced block (the README's walk-through, a page's procedure), each with the line it starts on:
 * a line ending in a backslash goes on on the next, and each `curl` in it (one in `$(…)`, one before a `|`) is its own.
 */
const curlsIn = (lines: { text: string; line: number }[]): { line: number; command: string }[] => {
  const commands: { line: number; command: string }[] = [];
  let current: { line: number; command: string } | undefined;
  for (const { text, line } of lines) {
    current = current ? { ...current, command: `${current.command} ${text.trim()}` } : { line, command: text.trim() };
    if (current.command.endsWith('\\')) {
      current.command = current.command.slice(0, -1);
      continue;
    }
    for (const part of current.command.split(/\bcurl\s/).slice(1)) commands.push({ line: current.line, command: part.split(/\s\|\s/)[0]! });
    current = undefined;
  }
  return commands;
};

/**
 * What a page names: `GET /plans/:planId`-style mentions anywhere outside fenced blocks, service paths alone in a
 * code span (`/ledger/public-key.pem`), and the address and method of each curl command in a fenced block. Paths with an
 * ellipsis (`/plans…`) stand for many and are not checked.
 */
const namedIn = (file: string, markdown: string): Named[] => {
  const named: Named[] = [];
  let fenced: { text: string; line: number }[] | undefined;
  markdown.split('\n').forEach((text, index) => {
    if (/^\s*(```|~~~)/.test(text)) {
      for (const { line, command } of curlsIn(fenced ?? [])) {
        const address = CURL_ADDRESS.exec(command)?.[1];
        if (address === undefined || address.includes('…')) continue;
        const method = curlMethod(command);
        named.push({ at: `${path.relative(root, file)}:${line}`, method, path: addressOf(address), written: `curl ${method} ${address}` });
      }
      fenced = fenced ? undefined : [];
      return;
    }
    if (fenced) {
      fenced.push({ text, line: index + 1 });
      return;
    }
    const at = `${path.relative(root, file)}:${index + 1}`;
    for (const m of text.matchAll(/\b(GET|POST|PUT|PATCH|DELETE|HEAD) `?(\/[^\s`'",]*)/g))
      if (!m[2]!.includes('…')) named.push({ at, method: m[1], path: addressOf(m[2]!), written: `${m[1]} ${m[2]}` });
    for (const m of text.matchAll(/`(\/[^\s`]*)`/g)) {
      const first = m[1]!.slice(1).split(/[/?]/)[0]!;
      if (SERVICE_ROOTS.has(first) && !m[1]!.includes('…')) named.push({ at, method: undefined, path: addressOf(m[1]!), written: m[1]! });
    }
  });
  return named;
};

describe('the addresses the docs name', () => {
  let routes: Route[];
  let scratch: string;
  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-doc-routes-'));
    const config = loadConfig({
      LEDGER_DATA_DIR: scratch,
      LEDGER_DEMO_DATA: 'false',
      LEDGER_CHECKPOINT_INTERVAL_MS: '0',
      LOG_LEVEL: 'silent',
    });
    const service = await openLedgerService(config, () => undefined);
    try {
      routes = routesOf(service.app.printRoutes({ commonPrefix: false }));
    } finally {
      await service.stop('routes read');
    }
  }, 60_000);
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  const problemWith = ({ method, path: address }: Named): string | undefined => {
    const matching = routes.filter((route) => route.pattern.test(address));
    if (matching.length === 0) return 'no route has this address';
    if (method && !matching.some((route) => route.methods.has(method)))
      return `its route takes ${[...new Set(matching.flatMap((route) => [...route.methods]))].join(', ')}, not ${method}`;
    return undefined;
  };

  it('reads the routes and the addresses a page names', () => {
    expect(routes.length).toBeGreaterThan(60);
    const named = namedIn(
      path.join(root, 'example.md'),
      'Send `GET /plans/:planId/timeline?order=effective`, `POST /plans/{planId}/corrections` or `/ledger/public-key.pem`; not `/srv/ledger` nor `/plans…`.',
    );
    expect(named.map((n) => [n.method, n.path])).toEqual([
      ['GET', '/plans/VALUE/timeline'],
      ['POST', '/plans/VALUE/corrections'],
      [undefined, '/ledger/public-key.pem'],
    ]);
    expect(namedIn(path.join(root, 'example.md'), '`GET /organisations[/:org]`').map((n) => n.path)).toEqual(['/organisations']);
    // The README's walk-through is curl commands in fenced blocks: each is held to the routes as a mention in the text is.
    const curls = namedIn(
      path.join(root, 'example.md'),
      [
        '```sh',
        'curl -X POST localhost:3000/plans/dorset-ccc/actions/1.3/evidence -H "Authorization: Bearer $KEY" \\',
        `  -d '{ "title": "Minutes" }'`,
        'curl -H "Authorization: Bearer $KEY" \'localhost:3000/plans?limit=1\' | jq -r .next',
        'export NOTE=$(curl -F file=@notes.txt localhost:3000/plans/dorset-ccc/recommendations/R1/evidence-files | jq -r .sha256)',
        'curl -o report.json -H "Authorization: Bearer $AUDITOR_KEY" \\',
        "  'localhost:3000/signed-views/deadlines?from=2015-10'",
        'curl -I http://127.0.0.1:3000/plans/dorset-ccc/evidence-files/$NOTE',
        'ledger verify-view report.json',
        '```',
      ].join('\n'),
    );
    expect(curls.map((n) => [n.at, n.method, n.path])).toEqual([
      ['example.md:2', 'POST', '/plans/dorset-ccc/actions/1.3/evidence'],
      ['example.md:4', 'GET', '/plans'],
      ['example.md:5', 'POST', '/plans/dorset-ccc/recommendations/R1/evidence-files'],
      ['example.md:6', 'GET', '/signed-views/deadlines'],
      ['example.md:8', 'HEAD', '/plans/dorset-ccc/evidence-files/VALUE'],
    ]);
    expect(problemWith({ at: '', method: 'GET', path: '/plans/VALUE/timeline', written: '' })).toBeUndefined();
    expect(problemWith({ at: '', method: 'POST', path: '/plans/VALUE/timeline', written: '' })).toBe('its route takes GET, HEAD, not POST');
    expect(problemWith({ at: '', method: 'GET', path: '/plans/VALUE/history', written: '' })).toBe('no route has this address');
    // A parameter with its own pattern takes what it names, and nothing else.
    expect(problemWith({ at: '', method: 'GET', path: '/web/plans/VALUE/actions/VALUE/evidence', written: '' })).toBeUndefined();
    expect(problemWith({ at: '', method: 'GET', path: '/web/plans/VALUE/actions/VALUE/nope', written: '' })).toBe(
      'no route has this address',
    );
  });

  it('every address the README and the pages under docs/ name is one the service answers, with the method they give', () => {
    const named = [path.join(root, 'README.md'), ...markdownFiles(path.join(root, 'docs'))].flatMap((file) =>
      namedIn(file, fs.readFileSync(file, 'utf8')),
    );
    expect(named.length).toBeGreaterThan(150);
    const wrong = named.flatMap((n) => {
      if (NOT_ROUTES.has(n.written) || NOT_ROUTES.has(n.path)) return [];
      const problem = problemWith(n);
      return problem ? [`${n.at}: ${n.written}: ${problem}`] : [];
    });
    expect(wrong, 'addresses in the docs the service does not answer').toEqual([]);
  });

  it('keeps its list of addresses that are no route to ones a page still names', () => {
    const text = [path.join(root, 'README.md'), ...markdownFiles(path.join(root, 'docs'))]
      .map((f) => fs.readFileSync(f, 'utf8'))
      .join('\n');
    expect([...NOT_ROUTES.keys()].filter((address) => !text.includes(address))).toEqual([]);
  });
});
