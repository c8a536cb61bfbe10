/**
 * Runs a parsed query: scan (polymorphic types span their subtypes), filter,
 * order, page, project. Answers the `query` action's `{data, metadata}`.
 */
import { validationError } from '../errors.ts';
import { getTypeDef, type EntityRecord } from '../model/index.ts';
import type { EntityGraph } from '../store/graph.ts';
import type { OrderBy, Query } from './ast.ts';
import { compileCondition } from './evaluate.ts';
import { checkPath, walkPath } from './paths.ts';
import { projectionTree, serialize } from './project.ts';

export interface QueryResult {
  data: Record<string, unknown>[];
  metadata: { next: { offset: number | null } };
}

function compareKeys(a: unknown, b: unknown): number {
  const aNull = a === null || a === undefined;
  const bNull = b === null || b === undefined;
  if (aNull || bNull) return aNull === bNull ? 0 : aNull ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

function sortRows(graph: EntityGraph, rows: EntityRecord[], orderBy: OrderBy[]): EntityRecord[] {
  if (!orderBy.length) return rows;
  const keyed = rows.map((row) => ({ row, keys: orderBy.map((o) => walkPath(graph, row, o.path)[0] ?? null) }));
  keyed.sort((a, b) => {
    for (const [i, o] of orderBy.entries()) {
      const diff = compareKeys(a.keys[i], b.keys[i]);
      if (diff) return o.direction === 'desc' ? -diff : diff;
    }
    return 0;
  });
  return keyed.map((k) => k.row);
}

/** Matching records in order, before paging and projection. */
export function selectRecords(graph: EntityGraph, query: Query): EntityRecord[] {
  const def = getTypeDef(query.entityType);
  if (!def) throw validationError(`Unknown entity type "${query.entityType}".`, { entityType: query.entityType });
  for (const path of query.select ?? []) checkPath(query.entityType, path);
  for (const o of query.orderBy) checkPath(query.entityType, o.path);
  const runSubquery = (sub: Query): unknown[] => {
    const first = sub.select?.[0];
    if (!first || (sub.select?.length ?? 0) > 1) throw validationError('A subquery must select exactly one attribute.');
    return paginate(selectRecords(graph, sub), sub).flatMap((row) => walkPath(graph, row, first));
  };
  const predicate = query.where ? compileCondition(graph, query.entityType, query.where, runSubquery) : undefined;
  const rows = graph.scan(query.entityType);
  return sortRows(graph, predicate ? rows.filter(predicate) : rows, query.orderBy);
}

function paginate<T>(rows: T[], query: Query): T[] {
  const offset = query.offset ?? 0;
  return rows.slice(offset, query.limit === undefined ? undefined : offset + query.limit);
}

export function executeQuery(graph: EntityGraph, query: Query): QueryResult {
  const rows = selectRecords(graph, query);
  const page = paginate(rows, query);
  const offset = query.offset ?? 0;
  const nextOffset = page.length > 0 && offset + page.length < rows.length ? offset + page.length : null;
  const def = getTypeDef(query.entityType);
  const paths = query.select ?? (def?.defaultProjections ?? []).map((name) => [name]);
  const tree = projectionTree(paths);
  return { data: page.map((row) => serialize(graph, row, tree)), metadata: { next: { offset: nextOffset } } };
}
