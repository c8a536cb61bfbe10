/**
 * Filters in the three shapes clients send, parsed into one tree:
 * - REST array form: `[[path, relation, value…], …]` (an implicit AND);
 * - REST hash form: `{logical_operator: "and"|"or", conditions: [...]}`, nestable;
 * - JSON-RPC form (shotgun_api3): the hash form whose leaves are `{path, relation, values}`.
 */
import { badRequest } from '../errors.ts';

export interface Condition {
  path: string;
  relation: string;
  values: unknown[];
}

export type FilterNode = Condition | { op: 'and' | 'or'; conditions: FilterNode[] };

export const isGroup = (node: FilterNode): node is { op: 'and' | 'or'; conditions: FilterNode[] } => 'op' in node;

const MAX_DEPTH = 265;

function leafOfArray(item: unknown[]): Condition {
  const [path, relation, ...rest] = item;
  if (typeof path !== 'string' || typeof relation !== 'string' || rest.length === 0) {
    throw badRequest('Invalid filter: expected [field, relation, value].', { filters: JSON.stringify(item) });
  }
  const values = rest.length === 1 && Array.isArray(rest[0]) ? (rest[0] as unknown[]) : rest;
  return { path, relation, values };
}

function leafOfHash(item: Record<string, unknown>): Condition {
  const { path, relation, values } = item;
  if (typeof path !== 'string' || typeof relation !== 'string' || !Array.isArray(values)) {
    throw badRequest('Invalid filter: expected {path, relation, values}.', { filters: JSON.stringify(item) });
  }
  return { path, relation, values };
}

function group(value: Record<string, unknown>, leaves: 'array' | 'rpc', depth: number): FilterNode {
  if (depth > MAX_DEPTH) throw badRequest(`Filters nest deeper than ${MAX_DEPTH} levels.`, { filters: 'too deep' });
  if (!('logical_operator' in value)) throw badRequest('Missing logical operator', { filters: 'logical_operator is missing' });
  if (!('conditions' in value)) throw badRequest('Missing conditions parameter', { filters: 'conditions is missing' });
  const op = value['logical_operator'];
  if (op !== 'and' && op !== 'or') throw badRequest(`Invalid logical operator ${JSON.stringify(op)}: use "and" or "or".`, { logical_operator: op });
  const conditions = value['conditions'];
  if (!Array.isArray(conditions)) throw badRequest('conditions must be an array.', { conditions: typeof conditions });
  return { op, conditions: conditions.map((c) => node(c, leaves, depth + 1)) };
}

function node(item: unknown, leaves: 'array' | 'rpc', depth: number): FilterNode {
  if (Array.isArray(item)) return leafOfArray(item);
  if (typeof item === 'object' && item !== null) {
    const hash = item as Record<string, unknown>;
    if ('logical_operator' in hash || 'conditions' in hash) return group(hash, leaves, depth);
    if (leaves === 'rpc' && 'path' in hash) return leafOfHash(hash);
  }
  throw badRequest('Invalid filter condition: expected [field, relation, value] or {logical_operator, conditions}.', { filters: JSON.stringify(item) });
}

/** `filters` of a REST `_search` sent as `application/vnd+shotgun.api3_array+json`. */
export function parseArrayFilters(filters: unknown): FilterNode {
  if (filters === undefined) return { op: 'and', conditions: [] };
  if (!Array.isArray(filters)) throw badRequest('Query is not an Array', { filters: 'expected an array of conditions' });
  return { op: 'and', conditions: filters.map((f) => node(f, 'array', 1)) };
}

/** `filters` of a REST `_search` sent as `application/vnd+shotgun.api3_hash+json`. */
export function parseHashFilters(filters: unknown): FilterNode {
  if (filters === undefined) return { op: 'and', conditions: [] };
  if (typeof filters !== 'object' || filters === null || Array.isArray(filters)) throw badRequest('Query is not an Hash', { filters: 'expected {logical_operator, conditions}' });
  return group(filters as Record<string, unknown>, 'array', 1);
}

/** `filters` of a JSON-RPC read or summarize. */
export function parseRpcFilters(filters: unknown): FilterNode {
  if (filters === undefined || filters === null) return { op: 'and', conditions: [] };
  if (Array.isArray(filters)) return { op: 'and', conditions: filters.map((f) => node(f, 'rpc', 1)) };
  if (typeof filters !== 'object') throw badRequest('filters must be a hash.', { filters: typeof filters });
  return group(filters as Record<string, unknown>, 'rpc', 1);
}
