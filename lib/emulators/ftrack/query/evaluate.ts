/**
 * Evaluates a parsed `where` condition against records. Literals take the type
 * of the attribute they are compared with (numbers, booleans, datetimes).
 */
import { parseDatetime } from '../codec.ts';
import { validationError } from '../errors.ts';
import type { EntityRecord, ScalarType } from '../model/index.ts';
import type { EntityGraph } from '../store/graph.ts';
import type { Comparison, Condition, Literal, Query } from './ast.ts';
import { checkPath, walkPath } from './paths.ts';

/** Runs a subquery and returns the values of its first selected path. */
export type SubqueryRunner = (query: Query) => unknown[];

function coerce(literal: Literal, type: ScalarType | undefined): unknown {
  switch (literal.kind) {
    case 'null':
      return null;
    case 'boolean':
      return literal.value;
    case 'string':
    case 'bare': {
      const text = literal.value;
      if (type === 'integer' || type === 'number') return text.trim() !== '' && !Number.isNaN(Number(text)) ? Number(text) : text;
      if (type === 'boolean') return text === 'true' || text === 'True' || text === '1';
      if (type === 'datetime') return parseDatetime(text) ?? text;
      return text;
    }
    default:
      throw validationError('A list or subquery can only be used with "in" or "not_in".');
  }
}

function equal(actual: unknown, expected: unknown): boolean {
  if (expected === null) return actual === null || actual === undefined;
  if (actual === null || actual === undefined) return false;
  if (Array.isArray(actual)) return actual.some((item) => equal(item, expected));
  if (typeof actual === 'number' || typeof expected === 'number') return Number(actual) === Number(expected) && String(expected).trim() !== '';
  if (typeof actual === 'boolean') return actual === (expected === true || expected === 'true' || expected === 'True' || expected === '1');
  return String(actual) === String(expected);
}

function order(actual: unknown, expected: unknown): number | undefined {
  if (actual === null || actual === undefined || expected === null) return undefined;
  const both = [actual, expected].map(Number);
  if ((typeof actual === 'number' || typeof expected === 'number') && both.every((n) => !Number.isNaN(n))) return (both[0] as number) - (both[1] as number);
  const [a, b] = [String(actual), String(expected)];
  return a < b ? -1 : a > b ? 1 : 0;
}

function likePattern(pattern: string): RegExp {
  const escaped = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${escaped}$`, 'is');
}

function test(actual: unknown, op: Comparison, expected: unknown): boolean {
  switch (op) {
    case '=':
      return equal(actual, expected);
    case '!=':
      return !equal(actual, expected);
    case 'in':
      return (expected as unknown[]).some((item) => equal(actual, item));
    case 'not_in':
      return !(expected as unknown[]).some((item) => equal(actual, item));
    case 'like':
    case 'not_like': {
      const hit = actual !== null && actual !== undefined && likePattern(String(expected)).test(String(actual));
      return op === 'like' ? hit : !hit;
    }
    default: {
      const diff = order(actual, expected);
      if (diff === undefined) return false;
      return op === '<' ? diff < 0 : op === '>' ? diff > 0 : op === '<=' ? diff <= 0 : diff >= 0;
    }
  }
}

/** Compiles a condition for `entityType` into a record predicate, checking every path first. */
export function compileCondition(
  graph: EntityGraph,
  entityType: string,
  condition: Condition,
  runSubquery: SubqueryRunner,
): (record: EntityRecord) => boolean {
  switch (condition.kind) {
    case 'and':
    case 'or': {
      const left = compileCondition(graph, entityType, condition.left, runSubquery);
      const right = compileCondition(graph, entityType, condition.right, runSubquery);
      return condition.kind === 'and' ? (r) => left(r) && right(r) : (r) => left(r) || right(r);
    }
    case 'not': {
      const operand = compileCondition(graph, entityType, condition.operand, runSubquery);
      return (r) => !operand(r);
    }
    case 'exists': {
      const { target } = checkPath(entityType, condition.path);
      if (!target) throw validationError(`"${condition.path.join('.')}" is not a relation; "${condition.quantifier}" needs one.`);
      const inner = condition.condition ? compileCondition(graph, target, condition.condition, runSubquery) : () => true;
      return (r) => walkPath(graph, r, condition.path).some((value) => value !== null && inner(value as EntityRecord));
    }
    case 'compare': {
      const { last, target } = checkPath(entityType, condition.path);
      const type = last.kind === 'scalar' ? last.type : last.kind === 'computed' ? last.type : undefined;
      const isList = condition.op === 'in' || condition.op === 'not_in';
      const { value } = condition;
      let expected: unknown;
      if (isList) {
        if (value.kind === 'subquery') expected = runSubquery(value.query);
        else if (value.kind === 'list') expected = value.items.map((item) => coerce(item, type));
        else throw validationError(`"${condition.op}" needs a list in parentheses or a subquery.`);
      } else {
        expected = coerce(value, type);
      }
      const asValue = (v: unknown): unknown => (target && v !== null && typeof v === 'object' ? (v as EntityRecord).id : v);
      return (r) => walkPath(graph, r, condition.path).some((v) => test(asValue(v), condition.op, expected));
    }
  }
}
