/**
 * Searching one entity type: a filter tree compiled against the schema (so a
 * bad field or relation fails even when nothing would match), sorting with
 * unknown keys ignored, and 1-based pages.
 */
import type { Records, Row } from '../store/index.ts';
import { isGroup, type FilterNode } from './filters.ts';
import { resolvePath, valuesAt } from './paths.ts';
import { testFor } from './relations.ts';

export interface SortKey {
  field: string;
  direction: 'asc' | 'desc';
}

export interface FindOptions {
  filters: FilterNode;
  sort?: SortKey[];
  returnOnly?: 'active' | 'retired';
  includeArchivedProjects?: boolean;
  /** 1-based page; with `pageSize` unset every match is returned. */
  page?: number;
  pageSize?: number;
  verb?: string;
}

type Predicate = (row: Row) => boolean;

export function compile(records: Records, type: string, node: FilterNode, verb = 'read'): Predicate {
  if (isGroup(node)) {
    const parts = node.conditions.map((c) => compile(records, type, c, verb));
    return node.op === 'and' ? (row) => parts.every((p) => p(row)) : (row) => parts.some((p) => p(row));
  }
  const path = resolvePath(records.schema, type, node.path, verb);
  const owner = `${path.hops[path.hops.length - 1]!.type}.${path.field.name}`;
  const test = testFor(owner, path.field.dataType, node.relation, node.values, verb);
  const name = (link: Parameters<Records['named']>[0]) => records.named(link);
  // A path through links matches when any value it reaches does; negations hold for all of them.
  const negative = node.relation.startsWith('not_') || node.relation.endsWith('_not') || node.relation === 'name_not_contains';
  return (row) => {
    const values = valuesAt(records.table, row, path).map((v) => (v === undefined ? null : v));
    return negative ? values.every((v) => test(v, name)) : values.some((v) => test(v, name));
  };
}

function sortValue(records: Records, row: Row, field: string): unknown {
  try {
    const path = resolvePath(records.schema, row.type, field);
    const value = valuesAt(records.table, row, path)[0];
    if (value && typeof value === 'object' && 'type' in value && 'id' in value) return records.named(value as { type: string; id: number }).name;
    return value;
  } catch {
    return undefined;
  }
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

/** Rows matching the options, sorted and paged. Unknown sort keys are ignored; id breaks ties. */
export function find(records: Records, type: string, options: FindOptions): Row[] {
  const entity = records.entity(type);
  const predicate = compile(records, entity.type, options.filters, options.verb);
  let rows = records.table.scan(entity.type, options.returnOnly ?? 'active').filter(predicate);
  if (options.includeArchivedProjects === false && entity.fields.has('project')) {
    rows = rows.filter((r) => {
      const project = r.fields['project'] as { id: number } | null | undefined;
      return !project || records.table.get('Project', project.id)?.fields['archived'] !== true;
    });
  }
  const keys = (options.sort ?? []).filter((k) => {
    try {
      resolvePath(records.schema, entity.type, k.field);
      return true;
    } catch {
      return false;
    }
  });
  rows.sort((a, b) => {
    for (const key of keys) {
      const c = compareValues(sortValue(records, a, key.field), sortValue(records, b, key.field));
      if (c) return key.direction === 'desc' ? -c : c;
    }
    return a.id - b.id;
  });
  if (!options.pageSize) return rows;
  const start = ((options.page ?? 1) - 1) * options.pageSize;
  return rows.slice(start, start + options.pageSize);
}
