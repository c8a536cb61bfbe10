/**
 * Naming templates: studio rules for names and paths, such as
 * `{project}_{sequence}_{shot}_{task}_v{version:03}` or `{project}/{sequence}/{shot}/src/plates`.
 * `format` builds a name from fields; `parse` reads one back, and for a near
 * miss says what is wrong and what was probably meant. Syntax: docs/naming.md.
 */
import { HandoffError } from '../errors.ts';
import { diagnose } from './diagnose.ts';
import { padNumber, valueProblem } from './fields.ts';
import type { FieldOptions } from './fields.ts';
import { issue } from './issues.ts';
import type { NamingIssue } from './issues.ts';
import { strictMatches } from './match.ts';
import type { Fields } from './match.ts';
import { tokenize } from './template.ts';
import type { Token } from './template.ts';

export { KNOWN_FIELDS } from './fields.ts';
export type { FieldOptions } from './fields.ts';
export { NAMING_ISSUE_CODES } from './issues.ts';
export type { NamingIssue, NamingIssueCode } from './issues.ts';
export type { Fields } from './match.ts';

/** Longer names are refused outright; no file system allows them. */
const MAX_NAME_LENGTH = 4096;

export type ParseResult =
  | { ok: true; fields: Fields }
  | { ok: false; issues: NamingIssue[]; suggestion?: string };

export type FieldValues = Record<string, string | number | undefined>;

export interface NamingTemplate {
  readonly text: string;
  /** Field names in order of first appearance. */
  readonly fields: readonly string[];
  /** Builds a name; throws NAMING_FIELD_MISSING or NAMING_FIELD_INVALID. */
  format(values: FieldValues): string;
  /** Reads a name; never throws on a bad name. Numeric fields come back as written (`"001"`). */
  parse(name: string): ParseResult;
}

/** Compiles a template; an unknown field or unbalanced brace is NAMING_TEMPLATE_INVALID. */
export function compileTemplate(text: string, fieldOptions: Record<string, FieldOptions> = {}): NamingTemplate {
  const tokens = tokenize(text, fieldOptions);
  const fields = [...new Set(tokens.flatMap((t) => (t.kind === 'field' ? [t.spec.name] : [])))];
  const format = (values: FieldValues): string => formatName(text, tokens, fields, values);
  return {
    text,
    fields,
    format,
    parse: (name) => parseName(text, tokens, format, name),
  };
}

function formatName(text: string, tokens: readonly Token[], fields: readonly string[], values: FieldValues): string {
  const missing = fields.filter((field) => values[field] === undefined || values[field] === '');
  if (missing.length > 0) {
    throw new HandoffError('NAMING_FIELD_MISSING', `Cannot build a name from ${JSON.stringify(text)}: no value for ${missing.join(', ')}`, {
      details: { template: text, missing },
      hint: 'Make sure the task in the tracker has these values set.',
    });
  }
  const invalid: { field: string; value: string; reason: string }[] = [];
  const written = tokens.map((token) => {
    if (token.kind === 'literal') return token.text;
    const { spec } = token;
    const raw = values[spec.name]!;
    const value = spec.numeric && spec.pad !== undefined && /^\d+$/.test(String(raw)) ? padNumber(raw, spec.pad) : String(raw);
    const reason = valueProblem(spec, value);
    if (reason && !invalid.some((entry) => entry.field === spec.name)) invalid.push({ field: spec.name, value, reason });
    return value;
  });
  if (invalid.length > 0) {
    const list = invalid.map((entry) => `${entry.field} "${entry.value}" (${entry.reason})`).join('; ');
    throw new HandoffError('NAMING_FIELD_INVALID', `Cannot build a name from ${JSON.stringify(text)}: ${list}`, {
      details: { template: text, invalid },
      hint: 'Fix the values in the tracker or the field rules in the naming configuration.',
    });
  }
  return written.join('');
}

function parseName(text: string, tokens: readonly Token[], format: (values: FieldValues) => string, name: string): ParseResult {
  if (typeof name !== 'string') return { ok: false, issues: [issue('NO_MATCH', 'The name is not text.')] };
  if (name.length > MAX_NAME_LENGTH) {
    return { ok: false, issues: [issue('NO_MATCH', `The name is longer than ${MAX_NAME_LENGTH} characters.`)] };
  }
  const matches = strictMatches(tokens, name);
  if (matches.length === 1) return { ok: true, fields: matches[0]! };
  if (matches.length > 1) {
    const splits = matches.map((fields) => Object.entries(fields).map(([k, v]) => `${k}=${v}`).join(' ')).join(' or ');
    return { ok: false, issues: [issue('AMBIGUOUS_SPLIT', `The name can be read more than one way: ${splits}.`)] };
  }
  const { issues, fixed } = diagnose(tokens, name, text);
  const suggestion = fixed ? suggest(tokens, format, fixed) : undefined;
  return suggestion === undefined ? { ok: false, issues } : { ok: false, issues, suggestion };
}

/** The corrected name, only when it reads back cleanly to the same fields. */
function suggest(tokens: readonly Token[], format: (values: FieldValues) => string, fields: Fields): string | undefined {
  try {
    const name = format(fields);
    const again = strictMatches(tokens, name);
    return again.length === 1 ? name : undefined;
  } catch {
    return undefined;
  }
}
