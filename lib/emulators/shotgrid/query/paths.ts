/**
 * Dotted field paths: `entity.Shot.code`, `sg_sequence.Sequence.project.Project.name`.
 * A path is a field, then (link type, field) hops. Filters see every value a
 * path reaches (through multi-entity fields too); reads see one value, and
 * nothing when the path crosses a multi-entity field.
 */
import { badRequest } from '../errors.ts';
import type { FieldSchema, Schema } from '../schema/index.ts';
import type { Row, Table } from '../store/index.ts';
import type { Link } from '../store/index.ts';

export interface ResolvedPath {
  hops: { field: FieldSchema; type: string }[];
  /** The last field's schema (its data type decides the valid relations). */
  field: FieldSchema;
  crossesMulti: boolean;
}

/** Checks a path against the schema; 400 naming the first part that does not exist. */
export function resolvePath(schema: Schema, type: string, path: string, verb = 'read'): ResolvedPath {
  const parts = path.split('.');
  const hops: ResolvedPath['hops'] = [];
  let current = type;
  let crossesMulti = false;
  for (let i = 0; i < parts.length; i += 2) {
    const field = schema.field(current, parts[i]!);
    if (!field) throw badRequest(`API ${verb}() ${current}.${parts[i]} doesn't exist.`, { [path]: 'unknown field' });
    hops.push({ field, type: current });
    if (i + 1 >= parts.length) break;
    const next = parts[i + 1]!;
    if (field.dataType !== 'entity' && field.dataType !== 'multi_entity') throw badRequest(`API ${verb}() ${current}.${field.name} is not a link field; ${path} cannot be followed.`, { [path]: 'not a link' });
    if (!schema.entity(next) || i + 2 >= parts.length) throw badRequest(`API ${verb}() ${path} is not a valid path: expected field.Type.field.`, { [path]: 'invalid path' });
    if (field.dataType === 'multi_entity') crossesMulti = true;
    current = next;
  }
  return { hops, field: hops[hops.length - 1]!.field, crossesMulti };
}

/** Every value the path reaches from `row` (`[null]` when a link on the way is empty). */
export function valuesAt(table: Table, row: Row, path: ResolvedPath): unknown[] {
  let rows: Row[] = [row];
  for (let i = 0; i < path.hops.length; i++) {
    const hop = path.hops[i]!;
    const values = rows.map((r) => (hop.field.name === 'id' ? r.id : r.fields[hop.field.name]));
    if (i === path.hops.length - 1) return values.length ? values : [null];
    const nextType = path.hops[i + 1]!.type;
    const links = values.flatMap((v) => (Array.isArray(v) ? (v as Link[]) : v ? [v as Link] : []));
    rows = links.filter((l) => l.type === nextType).flatMap((l) => table.get(l.type, l.id) ?? []);
    if (!rows.length) return [null];
  }
  return [null];
}
