/**
 * Strict matching of a name against template tokens. Enumerates every way the
 * name splits into field values (bounded), so an ambiguous name is caught
 * instead of silently taking the first split.
 */
import { valueProblem } from './fields.ts';
import type { Token } from './template.ts';

export type Fields = Record<string, string>;

/** Stop after this many partial splits; names are short, templates small. */
const MAX_STEPS = 20_000;

/** Up to `limit` distinct full splits of `name`. */
export function strictMatches(tokens: readonly Token[], name: string, limit = 2): Fields[] {
  const found: Fields[] = [];
  let steps = 0;
  const walk = (index: number, pos: number, fields: Fields): void => {
    if (found.length >= limit || ++steps > MAX_STEPS) return;
    const token = tokens[index];
    if (token === undefined) {
      if (pos === name.length) found.push({ ...fields });
      return;
    }
    if (token.kind === 'literal') {
      if (name.startsWith(token.text, pos)) walk(index + 1, pos + token.text.length, fields);
      return;
    }
    const { spec } = token;
    const next = tokens[index + 1];
    for (const end of candidateEnds(name, pos, next)) {
      const value = name.slice(pos, end);
      const bound = fields[spec.name];
      if (bound !== undefined ? bound !== value : valueProblem(spec, value) !== undefined) continue;
      const before = bound;
      fields[spec.name] = value;
      walk(index + 1, end, fields);
      if (before === undefined) delete fields[spec.name];
    }
  };
  walk(0, 0, {});
  return found;
}

/** Where a field starting at `pos` may end: before each occurrence of the next literal. */
function candidateEnds(name: string, pos: number, next: Token | undefined): number[] {
  if (next === undefined) return name.length > pos ? [name.length] : [];
  const ends: number[] = [];
  if (next.kind === 'literal') {
    for (let at = name.indexOf(next.text, pos + 1); at >= 0; at = name.indexOf(next.text, at + 1)) ends.push(at);
    return ends;
  }
  for (let end = pos + 1; end < name.length; end++) ends.push(end);
  return ends;
}
