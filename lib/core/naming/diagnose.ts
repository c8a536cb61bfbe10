/**
 * Near-miss diagnosis: when a name does not match its template strictly, match
 * it leniently (any separator, any case, optional `v`, any digit count, extra
 * text allowed), name each difference as an issue and, when every difference
 * can be fixed, rebuild the name the vendor probably meant. When that fails,
 * the closest reading wins: one field missing, or one field holding an extra
 * part (`clean_up` where the task is `cleanup`).
 */
import { listValues, padNumber, patternText } from './fields.ts';
import type { FieldSpec } from './fields.ts';
import { issue } from './issues.ts';
import type { NamingIssue } from './issues.ts';
import type { Fields } from './match.ts';
import type { Token } from './template.ts';

export interface Diagnosis {
  issues: NamingIssue[];
  /** Corrected field values; undefined when some difference has no fix. */
  fixed: Fields | undefined;
}

const SEPARATORS = /[-_. ]+/g;

export function diagnose(tokens: readonly Token[], name: string, template: string): Diagnosis {
  const direct = lenient(tokens, name);
  if (direct) return direct.issues.length > 0 ? direct : { issues: [noMatch(template)], fixed: undefined };
  const version = tokens.findIndex((t) => t.kind === 'field' && t.spec.name === 'version');
  const order = [version, ...tokens.keys()].filter((i, k, all) => i >= 0 && tokens[i]!.kind === 'field' && all.indexOf(i) === k);
  let best: Diagnosis | undefined;
  const consider = (found: Diagnosis | undefined): void => {
    if (found && (!best || found.issues.length < best.issues.length)) best = found;
  };
  for (const index of order) consider(lenient(tokens, name, index));
  for (const index of order) {
    const field = (tokens[index] as Extract<Token, { kind: 'field' }>).spec.name;
    const found = lenient(withoutField(tokens, index), name);
    const missing = field === 'version'
      ? issue('MISSING_VERSION', 'The name has no version.', { field })
      : issue('MISSING_FIELD', `The name has no ${field}.`, { field });
    consider(found && { issues: [missing, ...found.issues], fixed: undefined });
  }
  return best ?? { issues: [noMatch(template)], fixed: undefined };
}

function noMatch(template: string): NamingIssue {
  return issue('NO_MATCH', `The name does not follow the naming template ${template}.`, { expected: template });
}

/** Matches leniently; the field at `split` (if any) may hold several parts, which is then its issue. */
function lenient(tokens: readonly Token[], name: string, split?: number): Diagnosis | undefined {
  const sources = tokens.map((token, i) => (i === split ? splitSource(token, i) : lenientSource(token, i, tokens)));
  if (sources.includes(undefined)) return undefined;
  const match = new RegExp(`^(?<lead>[-_. ]*)${sources.join('')}(?<extra>.*)$`, 'iu').exec(name);
  if (!match?.groups) return undefined;
  const groups = match.groups;
  const issues: NamingIssue[] = [];
  const fixed: Fields = {};
  let fixable = true;
  if (groups.lead) issues.push(issue('EXTRA_TEXT', `The name starts with "${groups.lead}".`, { found: groups.lead }));
  tokens.forEach((token, i) => {
    const found = groups[`t${i}`] ?? '';
    if (token.kind === 'literal') {
      const next = tokens[i + 1];
      issues.push(...literalIssues(token.text, found, next?.kind === 'field' ? next.spec : undefined));
      return;
    }
    const { spec } = token;
    if (i === split) {
      issues.push(...partsIssues(spec, found));
      fixable = false;
      return;
    }
    const checked = fieldIssue(spec, found);
    if (checked.issue) issues.push(checked.issue);
    const previous = fixed[spec.name];
    if (previous !== undefined && checked.fix !== undefined && previous !== checked.fix) {
      issues.push(issue('INCONSISTENT_FIELD', `The ${spec.name} appears as "${previous}" and as "${found}".`, { field: spec.name, found }));
      fixable = false;
    }
    if (checked.fix === undefined) fixable = false;
    else fixed[spec.name] = checked.fix;
  });
  if (groups.extra) issues.push(issue('EXTRA_TEXT', `"${groups.extra}" at the end is not part of the name.`, { found: groups.extra }));
  const unique = issues.filter((item, k) => issues.findIndex((other) => other.message === item.message) === k);
  return { issues: unique, fixed: fixable ? fixed : undefined };
}

function lenientSource(token: Token, i: number, tokens: readonly Token[]): string {
  if (token.kind === 'field') return `(?<t${i}>${lenientField(token.spec)})`;
  const next = tokens[i + 1];
  const beforeNumber = next?.kind === 'field' && next.spec.numeric;
  const parts = token.text.match(/[-_. ]+|[A-Za-z]+|[^-_. A-Za-z]+/g) ?? [];
  const source = parts.map((part, k) => {
    if (/^[-_. ]+$/.test(part)) return '[-_. ]+';
    const text = escape(part);
    return beforeNumber && k === parts.length - 1 && /^[A-Za-z]+$/.test(part) ? `(?:${text})?` : text;
  });
  return `(?<t${i}>${source.join('')})`;
}

/** A field read as two or more parts joined by separators; undefined for numbers and known values. */
function splitSource(token: Token, i: number): string | undefined {
  if (token.kind !== 'field' || token.spec.numeric || token.spec.values) return undefined;
  return `(?<t${i}>[A-Za-z0-9]+(?:[-_. ]+[A-Za-z0-9]+)+)`;
}

/** The split itself, then whatever each part breaks on its own (so the likelier reading has fewer issues). */
function partsIssues(spec: FieldSpec, value: string): NamingIssue[] {
  const separator = /[-_. ]+/.exec(value)?.[0] ?? '';
  const message = `The ${spec.name} "${value}" has a "${separator}" inside, which makes one part too many: remove the extra part or the "${separator}".`;
  const parts = value.split(/[-_. ]+/).flatMap((part) => fieldIssue(spec, part).issue ?? []);
  return [issue('BAD_FIELD_VALUE', message, { field: spec.name, found: value }), ...parts];
}

function lenientField(spec: FieldSpec): string {
  const generic = spec.numeric ? '\\d+' : '[A-Za-z0-9]+';
  const options: string[] = [];
  if (spec.values) {
    const values = [...spec.values].sort((a, b) => b.length - a.length);
    options.push(...values.map((v) => escape(v).replace(/(?:\\\.|[-_ ])+/g, '[-_. ]+')));
  }
  if (spec.custom && usableLeniently(spec.custom.source)) options.push(spec.custom.source.slice(1, -1));
  return `(?:${[...options, generic].join('|')})`;
}

/** A studio pattern joins the lenient match only if it has no groups of its own and compiles there. */
function usableLeniently(source: string): boolean {
  if (source.includes('(?<')) return false;
  try {
    new RegExp(source, 'iu');
    return true;
  } catch {
    return false;
  }
}

function literalIssues(expected: string, found: string, next: FieldSpec | undefined): NamingIssue[] {
  if (found === expected) return [];
  const where = next ? ` before the ${next.name}` : '';
  const letters = (text: string): string => text.replace(/[^A-Za-z]/g, '');
  const out: NamingIssue[] = [];
  const separators = (text: string): string => text.replace(/[A-Za-z]/g, '');
  if (separators(found) !== separators(expected)) {
    const [foundSep, expectedSep] = [separators(found), separators(expected)];
    const message = foundSep ? `Use "${expectedSep}" between the parts, not "${foundSep}".` : `"${expectedSep}" is missing${where}.`;
    out.push(issue('WRONG_SEPARATOR', message, { found: foundSep, expected: expectedSep }));
  }
  if (letters(found) === '' && letters(expected) !== '') {
    out.push(next?.name === 'version'
      ? issue('MISSING_VERSION_PREFIX', `The version needs a "${letters(expected)}" in front of its number.`, { field: 'version', found, expected })
      : issue('MISSING_TEXT', `"${letters(expected)}" is missing${where}.`, { found, expected }));
  } else if (letters(found) !== letters(expected)) {
    out.push(issue('WRONG_CASE', `"${found}" should be "${expected}"${where}.`, { found, expected }));
  }
  return out;
}

function fieldIssue(spec: FieldSpec, value: string): { issue?: NamingIssue; fix?: string } {
  const field = spec.name;
  if (spec.numeric) {
    const fix = spec.pad === undefined ? value : padNumber(value, spec.pad);
    if (spec.custom && !spec.custom.test(fix)) return { issue: badValue(spec, value) };
    if (fix !== value) {
      const code = field === 'version' ? 'BAD_VERSION_PADDING' : 'BAD_PADDING';
      return { issue: issue(code, `The ${field} "${value}" should be written "${fix}".`, { field, found: value, expected: fix }), fix };
    }
    return { fix };
  }
  if (spec.values) {
    if (spec.values.includes(value)) return { fix: value };
    const key = (text: string): string => text.toLowerCase().replace(SEPARATORS, '_');
    const same = spec.values.find((v) => key(v) === key(value));
    if (same !== undefined) {
      const code = same.toLowerCase() === value.toLowerCase() ? 'WRONG_CASE' : 'WRONG_SEPARATOR';
      return { issue: issue(code, `The ${field} "${value}" should be written "${same}".`, { field, found: value, expected: same }), fix: same };
    }
    const near = nearest(value, spec.values);
    const message = `The ${field} "${value}" is not known (known: ${listValues(spec.values)}).`;
    return { issue: issue('UNKNOWN_TOKEN', message, { field, found: value, ...(near ? { expected: near } : {}) }), ...(near ? { fix: near } : {}) };
  }
  const cased = spec.case === 'lower' ? value.toLowerCase() : spec.case === 'upper' ? value.toUpperCase() : value;
  if (!spec.pattern.test(cased)) {
    const padded = /^\d+$/.test(cased) ? paddedToFit(spec, cased) : undefined;
    if (padded === undefined) return { issue: badValue(spec, value) };
    return { issue: issue('BAD_PADDING', `The ${field} "${value}" should be written "${padded}".`, { field, found: value, expected: padded }), fix: padded };
  }
  if (cased !== value) {
    return { issue: issue('WRONG_CASE', `The ${field} "${value}" should be ${spec.case} case: "${cased}".`, { field, found: value, expected: cased }), fix: cased };
  }
  return { fix: value };
}

function paddedToFit(spec: FieldSpec, digits: string): string | undefined {
  for (let width = digits.length + 1; width <= 12; width++) {
    const padded = digits.padStart(width, '0');
    if (spec.pattern.test(padded)) return padded;
  }
  return undefined;
}

function badValue(spec: FieldSpec, value: string): NamingIssue {
  return issue('BAD_FIELD_VALUE', `The ${spec.name} "${value}" must be ${patternText(spec)}.`, { field: spec.name, found: value });
}

/** The known value closest to `value` by edit distance, if close enough to be a typo. */
function nearest(value: string, values: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(value.length / 4)) + 1;
  for (const candidate of values) {
    const distance = editDistance(value.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
}

/** The tokens with one field and the literal that introduces it taken out. */
function withoutField(tokens: readonly Token[], index: number): Token[] {
  const before = index > 0 && tokens[index - 1]!.kind === 'literal';
  const from = before ? index - 1 : index;
  const to = !before && tokens[index + 1]?.kind === 'literal' ? index + 2 : index + 1;
  return [...tokens.slice(0, from), ...tokens.slice(to)];
}

function escape(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}
