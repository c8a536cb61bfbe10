/**
 * Turns zod issues into config issues a person can act on: the key path as
 * written in YAML, what was expected, what was found, and a "did you mean"
 * where a typo is likely. Positions are added by the caller.
 */
import type { z } from 'zod';
import { allowedKeysAt } from './schema.ts';
import { closest } from './suggest.ts';

export interface ConfigIssue {
  file: string;
  /** Dotted key path as written in the file, e.g. `vendors.CompersInc.users[0]`. */
  path: string;
  line: number;
  column: number;
  message: string;
}

/** An issue before it is placed in a file. */
export interface RawIssue {
  path: Array<string | number>;
  message: string;
}

export function formatPath(path: ReadonlyArray<string | number>): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(segment)) text += text ? `.${segment}` : segment;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text || '(root)';
}

export function fromZodIssues(issues: readonly z.core.$ZodIssue[], base: Array<string | number> = []): RawIssue[] {
  return issues.flatMap((issue) => fromZodIssue(issue, [...base, ...(issue.path as Array<string | number>)]));
}

function fromZodIssue(issue: z.core.$ZodIssue, path: Array<string | number>): RawIssue[] {
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const allowed = allowedKeysAt(path);
        const guess = closest(key, allowed);
        const help = guess ? `; did you mean "${guess}"?` : allowed.length ? `; expected one of ${allowed.join(', ')}` : '';
        return { path: [...path, key], message: `unknown key "${key}"${help}` };
      });
    case 'invalid_type': {
      if (issue.input === undefined) return [{ path, message: `missing required key (expected ${expected(issue.expected)})` }];
      const yesNo = issue.expected === 'boolean' && typeof issue.input === 'string' && /^(yes|no|on|off|y|n)$/i.test(issue.input);
      return [{ path, message: `expected ${expected(issue.expected)}, got ${describe(issue.input)}${yesNo ? '; write true or false' : ''}` }];
    }
    case 'invalid_value': {
      const values = issue.values.map((v) => JSON.stringify(v));
      const guess = typeof issue.input === 'string' ? closest(issue.input, issue.values.map(String)) : undefined;
      const list = values.length === 1 ? values[0] : `one of ${values.join(', ')}`;
      return [{ path, message: `expected ${list}, got ${describe(issue.input)}${guess ? `; did you mean "${guess}"?` : ''}` }];
    }
    case 'too_small':
      return [{ path, message: issue.origin === 'string' && Number(issue.minimum) <= 1 ? 'expected a non-empty string' : issue.message.startsWith('Too small') ? `expected ${bound(issue.origin, 'at least', issue.minimum)}` : issue.message }];
    case 'too_big':
      return [{ path, message: issue.message.startsWith('Too big') ? `expected ${bound(issue.origin, 'at most', issue.maximum)}` : issue.message }];
    case 'invalid_union':
      return fromUnion(issue, path);
    case 'invalid_key':
      return [{ path, message: `invalid key: ${issue.issues.map((inner) => inner.message).join('; ')}` }];
    default:
      return [{ path, message: issue.message }];
  }
}

/** A union failed: report the branch that got furthest (the one whose type matched). */
function fromUnion(issue: z.core.$ZodIssueInvalidUnion, path: Array<string | number>): RawIssue[] {
  const branches = issue.errors.filter((errors) => errors.length > 0);
  const matched = branches.filter((errors) => !errors.some((e) => e.code === 'invalid_type' && e.path.length === 0));
  const best = matched[0];
  if (best) return fromZodIssues(best, path);
  const kinds = branches.flatMap((errors) => errors.filter((e) => e.code === 'invalid_type').map((e) => expected((e as z.core.$ZodIssueInvalidType).expected)));
  return [{ path, message: `expected ${[...new Set(kinds)].join(' or ') || 'a different value'}, got ${describe(issue.input)}` }];
}

function bound(origin: string, word: string, limit: number | bigint): string {
  if (origin === 'array') return `${word} ${limit} item${limit === 1 ? '' : 's'}`;
  if (origin === 'string') return `${word} ${limit} characters`;
  return `a number ${word} ${limit}`;
}

function expected(kind: string): string {
  if (kind === 'object' || kind === 'record') return 'a mapping (key: value)';
  if (kind === 'array') return 'a list';
  if (kind === 'int') return 'a whole number';
  return `a ${kind}`;
}

function describe(input: unknown): string {
  if (input === null) return 'null (an empty value)';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  if (typeof input === 'string') return `"${input.length > 40 ? `${input.slice(0, 40)}…` : input}"`;
  return `${typeof input} ${String(input)}`;
}
