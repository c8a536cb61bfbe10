import fc from 'fast-check';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { parseYamlWithPositions } from '../../../../lib/core/config/yaml-positions.ts';

describe('parseYamlWithPositions', () => {
  const text = ['# comment', 'a: 1', 'b:', '  c: hello', '  d:', '  - x', '  - { e: 1, f: [2, 3] }', '  - name: n', '    y: 2', '"q k": [a,', '  b]', ''].join('\n');
  const parsed = parseYamlWithPositions(text, 'x.yaml');

  it('returns the value js-yaml parses', () => {
    expect(parsed.value).toEqual({ a: 1, b: { c: 'hello', d: ['x', { e: 1, f: [2, 3] }, { name: 'n', y: 2 }] }, 'q k': ['a', 'b'] });
  });

  it.each([
    [['a'], 2, 1],
    [['b', 'c'], 4, 3],
    [['b', 'd', 0], 6, 5],
    [['b', 'd', 1, 'e'], 7, 7],
    [['b', 'd', 1, 'f', 1], 7, 20],
    [['b', 'd', 2], 8, 5],
    [['b', 'd', 2, 'y'], 9, 5],
    [['q k', 1], 11, 3],
  ])('places %j at %i:%i', (path, line, column) => {
    expect(parsed.positionOf(path)).toEqual({ line, column });
  });

  it('falls back to the nearest known ancestor for keys that are not in the file', () => {
    expect(parsed.positionOf(['b', 'missing', 'deeper'])).toEqual({ line: 3, column: 1 });
    expect(parsed.positionOf(['nowhere'])).toEqual({ line: 1, column: 1 });
  });
});

describe('parseYamlWithPositions on generated documents', () => {
  type Tree = number | string | Tree[] | { [key: string]: Tree };
  const key = fc.stringMatching(/^k_[a-z]{1,6}$/);
  const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.integer(),
      fc.stringMatching(/^[a-z]{1,8}$/),
      fc.array(tie('tree'), { minLength: 1, maxLength: 3 }),
      fc.dictionary(key, tie('tree'), { minKeys: 1, maxKeys: 4 }),
    ),
  }));

  function paths(node: Tree, at: Array<string | number> = []): Array<Array<string | number>> {
    if (Array.isArray(node)) return node.flatMap((child, i) => [[...at, i], ...paths(child, [...at, i])]);
    if (typeof node === 'object') return Object.entries(node).flatMap(([k, child]) => [[...at, k], ...paths(child, [...at, k])]);
    return [];
  }

  it('places every key on its own text and every item on non-blank text, block or flow style', () => {
    fc.assert(
      fc.property(fc.dictionary(key, tree, { minKeys: 1, maxKeys: 4 }), fc.constantFrom(-1, 1, 2), (doc, flowLevel) => {
        const text = yaml.dump(doc, { flowLevel });
        const lines = text.split('\n');
        const parsed = parseYamlWithPositions(text, 'gen.yaml');
        for (const p of paths(doc)) {
          const { line, column } = parsed.positionOf(p);
          const rest = (lines[line - 1] ?? '').slice(column - 1);
          const last = p[p.length - 1];
          if (typeof last === 'string') expect(rest.startsWith(last), `${p.join('.')} at ${line}:${column} in\n${text}`).toBe(true);
          else expect(rest.trim().length > 0, `${p.join('.')} at ${line}:${column} in\n${text}`).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});
