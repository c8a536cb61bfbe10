/**
 * Reading a template text such as `{project}_{shot}_v{version:03}` into tokens:
 * literal text and fields. `{{` and `}}` stand for literal braces.
 */
import { HandoffError } from '../errors.ts';
import { fieldSpec, KNOWN_FIELDS } from './fields.ts';
import type { FieldOptions, FieldSpec } from './fields.ts';

export type Token = { kind: 'literal'; text: string } | { kind: 'field'; spec: FieldSpec };

const FIELD = /^([a-z][a-z0-9_]*)(?::0(\d{1,2}))?$/;

export function tokenize(text: string, fieldOptions: Record<string, FieldOptions> = {}): Token[] {
  const tokens: Token[] = [];
  const known = new Set<string>([...KNOWN_FIELDS, ...Object.keys(fieldOptions)]);
  const pads = new Map<string, number | undefined>();
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if ((ch === '{' || ch === '}') && text[i + 1] === ch) {
      literal += ch;
      i += 2;
      continue;
    }
    if (ch === '}') throw invalid(text, `a "}" at position ${i + 1} closes nothing`, 'unbalanced-brace');
    if (ch !== '{') {
      literal += ch;
      i++;
      continue;
    }
    const close = text.indexOf('}', i + 1);
    const open = text.indexOf('{', i + 1);
    if (close < 0 || (open >= 0 && open < close)) throw invalid(text, `the "{" at position ${i + 1} is never closed`, 'unbalanced-brace');
    const inner = text.slice(i + 1, close);
    const match = FIELD.exec(inner);
    if (!match) throw invalid(text, `"{${inner}}" is not a field; write {name} or {name:03}`, 'bad-token');
    const name = match[1]!;
    if (!known.has(name)) {
      throw invalid(text, `"{${inner}}" is not a known field (known: ${[...known].join(', ')})`, 'unknown-token');
    }
    const pad = match[2] === undefined ? undefined : Number(match[2]);
    if (pads.has(name) && pads.get(name) !== pad) throw invalid(text, `field "${name}" appears with two paddings`, 'bad-token');
    pads.set(name, pad);
    if (literal) tokens.push({ kind: 'literal', text: literal });
    literal = '';
    tokens.push({ kind: 'field', spec: fieldSpec(name, pad, fieldOptions[name], text) });
    i = close + 1;
  }
  if (literal) tokens.push({ kind: 'literal', text: literal });
  if (!tokens.some((token) => token.kind === 'field')) throw invalid(text, 'it has no {field}', 'no-fields');
  return tokens;
}

function invalid(template: string, reason: string, code: string): HandoffError {
  return new HandoffError('NAMING_TEMPLATE_INVALID', `Naming template ${JSON.stringify(template)} is not valid: ${reason}`, {
    details: { template, reason: code },
    hint: 'Write fields as {project}, {shot}, {version:03}; double a brace ({{ or }}) for a literal one.',
  });
}
