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
