import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * API clients handle errors by their `code` (docs/requests.md), and import clients read warnings
 * by theirs: a code the ledger can answer with that no page names is one a client meets blind.
 * This reads the product's code for every code literal it raises and looks for each in the docs.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const PRODUCT_FOLDERS = ['src', 'projections', 'events'];
/** A problem or warning code: lower-case words joined by hyphens. Node's own error codes (`EEXIST`) are upper case. */
const CODE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Literals the scan finds that no client is ever answered with, and why. Anything else it
 * finds is a code a client can see, and must be documented.
 */
const NOT_CLIENT_CODES = new Map<string, string>([
  // zod's issue code for a refinement (`ctx.addIssue({ code: 'custom', … })`): the client sees `validation-failed`
  // with the refinement's message, or the configuration error at start.
  ['custom', "zod's own issue code for a refinement, not the ledger's"],
  // The outcome of an OpenID Connect code exchange inside the server (src/access/oidc-sign-in.ts): logged, and the
  // person is shown the sign-in page's own 401 ("did not confirm who you are"), never problem details with this code.
  ['sign-in-failed', 'an internal sign-in outcome, logged and shown as a page, never sent as a code'],
]);

interface Raised {
  code: string;
  /** `file:line` of each place it is raised. */
  at: string[];
}

const sourceFiles = (folder: string): string[] =>
  fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });

/** The string literals an expression can be: `'a'`, `cond ? 'a' : 'b'`, `('a')`, `'a' as const`. */
const literalsOf = (node: ts.Node | undefined): string[] => {
  if (!node) return [];
  if (ts.isStringLiteralLike(node)) return [node.text];
  if (ts.isConditionalExpression(node)) return [...literalsOf(node.whenTrue), ...literalsOf(node.whenFalse)];
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) return literalsOf(node.expression);
  return [];
};

const nameOf = (node: ts.Node): string | undefined =>
  ts.isIdentifier(node) ? node.text : ts.isPropertyAccessExpression(node) ? node.name.text : undefined;

/** Where a function or class takes a parameter named `code`: its name, and that parameter's position. */
const codeParameters = (files: ts.SourceFile[]): Map<string, number> => {
  const found = new Map<string, number>();
  const note = (name: string | undefined, parameters: ts.NodeArray<ts.ParameterDeclaration>) => {
    const index = parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === 'code');
    if (name && index >= 0) found.set(name, index);
  };
  const visit = (node: ts.Node) => {
    if (ts.isFunctionDeclaration(node)) note(node.name?.text, node.parameters);
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const fn = node.initializer;
      if (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) note(node.name.text, fn.parameters);
    }
    if (ts.isClassDeclaration(node))
      for (const member of node.members) if (ts.isConstructorDeclaration(member)) note(node.name?.text, member.parameters);
    ts.forEachChild(node, visit);
  };
  files.forEach(visit);
  return found;
};

/**
 * Every code literal raised in the product's code: the argument in the `code` position of a call
 * of a function or class that takes one (`conflict('plan-exists', …)`, `new ImportError('document-empty', …)`,
 * `new EvidenceRefused(422, 'empty-file', …)`, `badRequest(…)`, `deny(…)`), and `code: '…'` in an
 * object (problem details, import warnings).
 */
const raisedCodes = (): Map<string, Raised> => {
  const files = PRODUCT_FOLDERS.flatMap((folder) => sourceFiles(path.join(root, folder))).map((file) =>
    ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true),
  );
  const positions = codeParameters(files);
  const raised = new Map<string, Raised>();
  for (const file of files) {
    const add = (codes: string[], node: ts.Node) => {
      const at = `${path.relative(root, file.fileName)}:${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}`;
      for (const code of codes.filter((c) => CODE.test(c))) {
        const entry = raised.get(code) ?? { code, at: [] };
        entry.at.push(at);
        raised.set(code, entry);
      }
    };
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        const name = nameOf(node.expression);
        const index = name === undefined ? undefined : positions.get(name);
        if (index !== undefined) add(literalsOf(node.arguments?.[index]), node);
      }
      if (ts.isPropertyAssignment(node) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) && node.name.text === 'code')
        add(literalsOf(node.initializer), node);
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return raised;
};

/** The texts in backticks of a page, outside fenced code blocks: an example's output is not a description. */
const codeSpans = (markdown: string): string[] =>
  [...markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);

/** The codes named whole in the spans: `plan-exists` and `409 plan-exists` name plan-exists; `plan-exists-too` and `plan-existsAt` do not. */
const namedIn = (spans: string[]): Set<string> => new Set(spans.flatMap((span) => span.split(/[^A-Za-z0-9-]+/)));

const markdownFiles = (folder: string): string[] =>
  fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? markdownFiles(full) : entry.name.endsWith('.md') ? [full] : [];
  });

const documentedSpans = (): string[] =>
  [...markdownFiles(path.join(root, 'docs')), path.join(root, 'README.md')].flatMap((file) => codeSpans(fs.readFileSync(file, 'utf8')));

describe('the problem and warning codes in the docs', () => {
  const raised = raisedCodes();

  it('finds the codes of every way the ledger raises one', () => {
    // One of each form: a domain rule, a read refusal, problem details, an import refusal (one written over lines),
    // an evidence refusal (the code second), an authorisation refusal, and both codes of a conditional warning.
    for (const code of [
      'plan-exists',
      'effective-on-after-as-of',
      'key-not-found',
      'document-empty',
      'subsumption-target-closed',
      'empty-file',
      'not-your-organisation',
      'duplicate-number',
      'row-without-number',
    ])
      expect(raised.has(code), code).toBe(true);
    expect(raised.size).toBeGreaterThan(150);
  });

  it('reads a code in backticks, alone or after its status, and not inside a longer code or a fenced example', () => {
    const spans = codeSpans(
      ['`plan-exists-too`, `customAlphabet`, `409 ref-taken`, `key-not-found`', '```json', '{ "code": "evidence-erased" }', '```'].join(
        '\n',
      ),
    );
    const named = namedIn(spans);
    expect(named.has('plan-exists')).toBe(false);
    expect(named.has('custom')).toBe(false);
    expect(named.has('ref-taken')).toBe(true);
    expect(named.has('key-not-found')).toBe(true);
    expect(named.has('evidence-erased')).toBe(false);
  });

  it('every problem code the ledger can answer is documented: named in backticks in a page under docs/ or in the README', () => {
    const named = namedIn(documentedSpans());
    const undocumented = [...raised.values()]
      .filter(({ code }) => !NOT_CLIENT_CODES.has(code) && !named.has(code))
      .map(({ code, at }) => `${code} (raised at ${at.join(', ')})`)
      .sort();
    expect(undocumented, 'codes no page names: document each where a client would look (see docs/requests.md)').toEqual([]);
  });

  it('keeps its list of literals that are not client codes to ones the code still raises', () => {
    expect([...NOT_CLIENT_CODES.keys()].filter((code) => !raised.has(code))).toEqual([]);
  });
});
