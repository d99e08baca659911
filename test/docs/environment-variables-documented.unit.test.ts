import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Operators configure the service and the `ledger` command through environment variables, and
 * find them in the README's configuration table and the pages under docs/. A variable the code
 * reads that no page names is a setting nobody can find; a `LEDGER_*` name a page gives that
 * nothing reads is one an operator sets to no effect. This reads the real sources and pages.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const PRODUCT_FOLDERS = ['src', 'projections', 'events', 'bin'];
/** Where the test suite, the benchmarks and the soak suite read variables of their own (LEDGER_KURRENTDB_URL). */
const TOOLING_FOLDERS = ['test', 'bench', 'soak'];
const ENV_NAME = /^[A-Z][A-Z0-9_]*[A-Z0-9]$/;

const sourceFiles = (folder: string): string[] =>
  fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return /\.(ts|js|mjs)$/.test(entry.name) ? [full] : [];
  });

const isProcessEnv = (node: ts.Expression): boolean =>
  ts.isPropertyAccessExpression(node) && node.name.text === 'env' && ts.isIdentifier(node.expression) && node.expression.text === 'process';

const isZodObject = (node: ts.CallExpression): boolean =>
  ts.isPropertyAccessExpression(node.expression) &&
  node.expression.name.text === 'object' &&
  ts.isIdentifier(node.expression.expression) &&
  node.expression.expression.text === 'z';

/**
 * The variables read: `process.env.NAME` and `process.env['NAME']` anywhere, and the upper-case keys of a
 * `z.object({…})`, which is how the configuration (src/config.ts and the schemas it extends) names every variable it
 * parses from the environment.
 */
const variablesRead = (folders: string[]): Map<string, string[]> => {
  const found = new Map<string, string[]>();
  for (const file of folders.flatMap((folder) => sourceFiles(path.join(root, folder)))) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const add = (name: string, node: ts.Node) => {
      if (!ENV_NAME.test(name)) return;
      const at = `${path.relative(root, file)}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
      found.set(name, [...(found.get(name) ?? []), at]);
    };
    const visit = (node: ts.Node) => {
      if (ts.isPropertyAccessExpression(node) && isProcessEnv(node.expression)) add(node.name.text, node);
      if (ts.isElementAccessExpression(node) && isProcessEnv(node.expression) && ts.isStringLiteralLike(node.argumentExpression))
        add(node.argumentExpression.text, node);
      if (ts.isCallExpression(node) && isZodObject(node)) {
        const shape = node.arguments[0];
        if (shape && ts.isObjectLiteralExpression(shape))
          for (const property of shape.properties)
            if (property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) add(property.name.text, property);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
};

/** What the test suite, the benchmarks and the soak suite read as `process.env.NAME`: found in their text, as parsing them all is slow. */
const toolingVariables = (): Set<string> =>
  new Set(
    TOOLING_FOLDERS.flatMap((folder) => sourceFiles(path.join(root, folder))).flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(/process\.env(?:\.([A-Z][A-Z0-9_]*)|\[['"]([A-Z][A-Z0-9_]*)['"]\])/g)].map(
        (m) => (m[1] ?? m[2])!,
      ),
    ),
  );

const markdownFiles = (folder: string): string[] =>
  fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? markdownFiles(full) : entry.name.endsWith('.md') ? [full] : [];
  });

const pages = (): { file: string; text: string }[] =>
  [path.join(root, 'README.md'), ...markdownFiles(path.join(root, 'docs'))].map((file) => ({
    file: path.relative(root, file),
    text: fs.readFileSync(file, 'utf8'),
  }));

/** Every whole name a page gives; `LEDGER_OIDC_ISSUER`, `_AUDIENCE` names the first only, so each variable is named whole somewhere. */
const namesIn = (text: string): Set<string> => new Set(text.match(/(?<![A-Za-z0-9_])[A-Z][A-Z0-9_]*[A-Z0-9](?![A-Za-z0-9_])/g) ?? []);

describe('the environment variables in the docs', () => {
  const read = variablesRead(PRODUCT_FOLDERS);

  it('finds the variables of each way the code reads one', () => {
    // The configuration's schema, the access and sign-in schemas it extends, and direct reads in a .ts and a .js file.
    for (const name of [
      'PORT',
      'LEDGER_DATA_DIR',
      'LEDGER_OIDC_JWKS_URL',
      'LEDGER_WEB_OIDC_ISSUER',
      'LEDGER_BACKUP_PASSPHRASE',
      'LEDGER_CLI_BUNDLE',
    ])
      expect(read.has(name), name).toBe(true);
    // A constant named like one is not a variable read.
    expect(read.has('LEDGER_TIME_FORMAT')).toBe(false);
  });

  it('every variable the service or the ledger command reads is named whole in the README or a page under docs/', () => {
    const named = new Set(pages().flatMap(({ text }) => [...namesIn(text)]));
    const undocumented = [...read]
      .filter(([name]) => !named.has(name))
      .map(([name, at]) => `${name} (read at ${at.join(', ')})`)
      .sort();
    expect(undocumented, 'variables no page names: add each to the README configuration table or the page of its feature').toEqual([]);
  });

  it('every LEDGER_ variable a page names is one the product, or the test suite, benchmarks and soak suite, reads', () => {
    const known = new Set([...read.keys(), ...toolingVariables()]);
    const unread = pages()
      .flatMap(({ file, text }) =>
        [...namesIn(text)].filter((name) => name.startsWith('LEDGER_') && !known.has(name)).map((name) => `${name} (${file})`),
      )
      .sort();
    expect(unread, 'names a page gives that nothing reads: an operator setting one changes nothing').toEqual([]);
  });
});
