/**
 * Checks attribute paths against the model and walks them over records.
 * Walking through a collection fans out (implicit "exists"); a missing
 * reference yields null so `parent.name is none` holds.
 */
import { validationError } from '../errors.ts';
import { attributeOf, isMany, relationTarget, type AttrDef, type EntityRecord } from '../model/index.ts';
import type { EntityGraph } from '../store/graph.ts';

export interface ResolvedPath {
  /** The attribute the path ends on. */
  last: AttrDef;
  /** Entity type of the final attribute for relations. */
  target: string | undefined;
  /** True when any step fans out over a collection. */
  many: boolean;
}

export function checkPath(entityType: string, path: readonly string[]): ResolvedPath {
  let type: string | undefined = entityType;
  let many = false;
  let last: AttrDef | undefined;
  for (const [index, name] of path.entries()) {
    if (!type) {
      throw validationError(`"${path.slice(0, index).join('.')}" is not a relation, so "${path.join('.')}" cannot be followed.`, { path: path.join('.') });
    }
    last = attributeOf(type, name);
    if (!last) throw validationError(`${type} has no attribute "${name}" (in "${path.join('.')}").`, { entityType: type, attribute: name });
    many ||= isMany(last);
    type = relationTarget(last);
  }
  if (!last) throw validationError('Empty attribute path.');
  return { last, target: type, many };
}

function isRecord(value: unknown): value is EntityRecord {
  return typeof value === 'object' && value !== null && '__entity_type__' in value;
}

/** Values at the end of `path` from `record`: records for relations, scalars otherwise. */
export function walkPath(graph: EntityGraph, record: EntityRecord, path: readonly string[]): unknown[] {
  let current: unknown[] = [record];
  for (const name of path) {
    const next: unknown[] = [];
    for (const value of current) {
      if (value === null) next.push(null);
      else if (isRecord(value)) next.push(...graph.related(value, name));
    }
    current = next;
  }
  return current;
}
