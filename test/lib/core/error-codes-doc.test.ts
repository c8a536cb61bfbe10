/**
 * docs/errors.md and the sources agree: every code the product throws has
 * exactly one row, every row names a code the sources still use, and the
 * retryable column says what the constructors say.
 *
 * Codes are found with the TypeScript parser, not text search: the code
 * argument of `new HandoffError(...)` (and of its subclasses), and of any
 * function with a `code: string` parameter (toHandoffError and the helper
 * factories), followed through `a ? 'X' : 'Y'` and `code ?? 'X'`; and failures
 * carried as data first (`{ code: 'X', message, retryable }`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const SOURCE_DIRS = ['lib', 'actions', 'hooks', 'publish-templates'];
const CODE_SHAPE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

function sourceFiles(dir: string): string[] {
  const entries = readdirSync(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath, e.name));
}

const files = SOURCE_DIRS.flatMap((dir) => sourceFiles(join(ROOT, dir))).map((path) => ({
  path: relative(ROOT, path),
  ast: ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true),
}));

function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  node.forEachChild((child) => walk(child, visit));
}

/** Classes extending HandoffError (directly or not) and functions taking `code: string`, by name → code argument index. */
function codeTakers(): Map<string, number> {
  const takers = new Map<string, number>([['HandoffError', 0]]);
  const parents = new Map<string, string>();
  for (const { ast } of files) {
    walk(ast, (node) => {
      if (ts.isClassDeclaration(node) && node.name) {
        const base = node.heritageClauses?.[0]?.types[0]?.expression;
        if (base && ts.isIdentifier(base)) parents.set(node.name.text, base.text);
      }
      if (ts.isFunctionDeclaration(node) && node.name) {
        const index = node.parameters.findIndex(
          (p) => ts.isIdentifier(p.name) && p.name.text === 'code' && p.type?.kind === ts.SyntaxKind.StringKeyword,
        );
        if (index >= 0) takers.set(node.name.text, index);
      }
    });
  }
  for (const [name] of parents) {
    let ancestor = parents.get(name);
    for (let depth = 0; ancestor && depth < 10; depth++, ancestor = parents.get(ancestor)) {
      if (ancestor === 'HandoffError') takers.set(name, 0);
    }
  }
  return takers;
}

function literalsIn(node: ts.Expression | undefined, out: string[]): void {
  if (!node) return;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) out.push(node.text);
  else if (ts.isParenthesizedExpression(node)) literalsIn(node.expression, out);
  else if (ts.isConditionalExpression(node)) [node.whenTrue, node.whenFalse].forEach((n) => literalsIn(n, out));
  else if (ts.isBinaryExpression(node)) [node.left, node.right].forEach((n) => literalsIn(n, out));
  else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'String') {
    literalsIn(node.arguments[0], out);
  }
}

/** Every code literal handed to an error maker, with where it was found. */
function thrownCodes(sources = files): Map<string, string[]> {
  const takers = codeTakers();
  const found = new Map<string, string[]>();
  for (const { path, ast } of sources) {
    walk(ast, (node) => {
      const line = (): string => `${path}:${ast.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
      if (ts.isObjectLiteralExpression(node)) {
        // A failure carried as data until it becomes an error: { code: 'CODE', message, retryable }.
        const named = (name: string) => node.properties.find((p) => p.name?.getText() === name);
        const code = named('code');
        if (code && named('retryable') && ts.isPropertyAssignment(code) && ts.isStringLiteral(code.initializer)) {
          found.set(code.initializer.text, [...(found.get(code.initializer.text) ?? []), line()]);
        }
        return;
      }
      if (!ts.isCallExpression(node) && !ts.isNewExpression(node)) return;
      const callee = node.expression;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      const index = name === undefined ? undefined : takers.get(name);
      if (index === undefined) return;
      const literals: string[] = [];
      literalsIn(node.arguments?.[index], literals);
      for (const code of literals.filter((text) => CODE_SHAPE.test(text))) found.set(code, [...(found.get(code) ?? []), line()]);
    });
  }
  return found;
}

/** `retryable` as written where a code is constructed: `new HandoffError('CODE', message, { retryable })`, literal values only. */
function constructedRetryability(): Map<string, Set<'yes' | 'no'>> {
  const takers = codeTakers();
  const found = new Map<string, Set<'yes' | 'no'>>();
  for (const { ast } of files) {
    walk(ast, (node) => {
      if (!ts.isNewExpression(node) || !ts.isIdentifier(node.expression) || takers.get(node.expression.text) !== 0) return;
      const [code, , options] = node.arguments ?? [];
      if (!code || !ts.isStringLiteral(code)) return;
      const property = options && ts.isObjectLiteralExpression(options) ? options.properties.find((p) => p.name?.getText() === 'retryable') : undefined;
      const value = property && ts.isPropertyAssignment(property) ? property.initializer.kind : ts.SyntaxKind.FalseKeyword;
      if (property && !ts.isPropertyAssignment(property)) return;
      if (value !== ts.SyntaxKind.TrueKeyword && value !== ts.SyntaxKind.FalseKeyword) return;
      const set = found.get(code.text) ?? new Set();
      found.set(code.text, set.add(value === ts.SyntaxKind.TrueKeyword ? 'yes' : 'no'));
    });
  }
  return found;
}

/** Every string literal in the sources, for "does this documented code still exist". */
function allLiterals(): Set<string> {
  const literals = new Set<string>();
  for (const { ast } of files) {
    walk(ast, (node) => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) literals.add(node.text);
    });
  }
  return literals;
}

const docRows = readFileSync(join(ROOT, 'docs/errors.md'), 'utf8')
  .split('\n')
  .filter((line) => /^\| `/.test(line));

describe('docs/errors.md', () => {
  const thrown = thrownCodes();
  const documented = docRows.map((row) => /^\| `([^`]+)`/.exec(row)?.[1] ?? '');

  it('finds the error makers it scans for (the scan itself works)', () => {
    const takers = codeTakers();
    expect([takers.get('toHandoffError'), takers.get('ApiError'), takers.get('failure')]).toEqual([1, 0, 0]);
    expect(thrown.has('INTERNAL')).toBe(true);
    const sample = [
      "const carried = { code: 'SAMPLE_CARRIED', message: 'm', retryable: true };",
      "const issue = { code: 'SAMPLE_ISSUE_ONLY', message: 'm' };",
      "throw toHandoffError(err, busy ? 'SAMPLE_BUSY' : 'SAMPLE_FAILED');",
      "throw new HandoffError(String(remote.code ?? 'SAMPLE_REMOTE'), 'm');",
    ].join('\n');
    const ast = ts.createSourceFile('sample.ts', sample, ts.ScriptTarget.Latest, true);
    expect([...thrownCodes([{ path: 'sample.ts', ast }]).keys()]).toEqual(['SAMPLE_CARRIED', 'SAMPLE_BUSY', 'SAMPLE_FAILED', 'SAMPLE_REMOTE']);
    expect(thrown.size).toBeGreaterThan(50);
  });

  it('has a row for every code thrown in lib/, actions/, hooks/ and publish-templates/', () => {
    const missing = [...thrown].filter(([code]) => !documented.includes(code)).map(([code, where]) => `${code} (${where.join(', ')})`);
    expect(missing).toEqual([]);
  });

  it('has exactly one row per code', () => {
    const duplicates = documented.filter((code, i) => documented.indexOf(code) !== i);
    expect(duplicates).toEqual([]);
  });

  it('names only codes that still exist in the sources', () => {
    const literals = allLiterals();
    expect(documented.filter((code) => !thrown.has(code) && !literals.has(code))).toEqual([]);
  });

  it('says "retryable" exactly as the sources construct each code', () => {
    const column = new Map(docRows.map((row) => [/^\| `([^`]+)` \| (yes|no)/.exec(row)?.[1], /^\| `[^`]+` \| (yes|no)/.exec(row)?.[1]]));
    const differing = [...constructedRetryability()]
      .filter(([code, values]) => values.size === 1 && column.has(code) && !values.has(column.get(code) as 'yes' | 'no'))
      .map(([code, values]) => `${code}: docs say ${column.get(code)}, sources ${[...values].join('/')}`);
    expect(differing).toEqual([]);
  });

  it('gives every row a code, yes/no retryable, a description and a way to solve it', () => {
    const malformed = docRows.filter((row) => !/^\| `[A-Z][A-Z0-9_]*` \| (yes|no) \| [^|].*\| [^|].* \|$/.test(row));
    expect(malformed).toEqual([]);
  });
});
