/**
 * Reading records out: which fields a request asked for, and each value as the
 * APIs send it — links as `{type, id, name}`, multi-entity fields as lists of
 * those, `image` as a fetchable URL, uploaded files with their URL, dotted
 * paths through single links as their value (nothing through multi-entity).
 */
import { resolvePath, valuesAt } from './query/index.ts';
import type { FieldSchema } from './schema/index.ts';
import type { Site } from './site.ts';
import type { Link, Row } from './store/index.ts';

export function outputValue(site: Site, field: FieldSchema, value: unknown): unknown {
  if (value === undefined) return null;
  switch (field.dataType) {
    case 'entity':
      return value ? site.records.named(value as Link) : null;
    case 'multi_entity':
      return ((value as Link[] | null) ?? []).map((l) => site.records.named(l));
    case 'image':
      return typeof value === 'number' ? site.uploads.fileUrl(value) : null;
    case 'url': {
      if (!value || typeof value !== 'object') return value ?? null;
      const link = value as Record<string, unknown>;
      return link['link_type'] === 'upload' && typeof link['id'] === 'number' ? { ...link, url: site.uploads.fileUrl(link['id']) } : link;
    }
    default:
      return value;
  }
}

/** The requested field names, with `*` (or nothing, when `all` is the default) meaning every field. */
export function fieldList(site: Site, type: string, requested: string[] | undefined, all: boolean): string[] {
  const every = [...(site.schema.entity(type)?.fields.keys() ?? [])].filter((f) => f !== 'id');
  if (!requested) return all ? every : [];
  return requested.flatMap((f) => (f === '*' ? every : f === 'id' || f === 'type' ? [] : [f]));
}

/**
 * The values of `fields` on `row`: unknown names are left out (the site ignores
 * them silently), as are dotted paths through multi-entity fields.
 */
export function readFields(site: Site, row: Row, fields: string[]): { field: FieldSchema; name: string; value: unknown }[] {
  const out: { field: FieldSchema; name: string; value: unknown }[] = [];
  for (const name of new Set(fields)) {
    if (name === 'id' || name === 'type') continue;
    let path;
    try {
      path = resolvePath(site.schema, row.type, name);
    } catch {
      continue;
    }
    if (path.crossesMulti) continue;
    const [value] = path.hops.length === 1 ? [row.fields[name]] : valuesAt(site.table, row, path);
    out.push({ field: path.field, name, value: outputValue(site, path.field, value) });
  }
  return out;
}

/** A flat record: `{type, id, field: value, "entity.Shot.code": value}` (JSON-RPC, batch results). */
export function flatRecord(site: Site, row: Row, fields: string[]): Record<string, unknown> {
  const record: Record<string, unknown> = { type: row.type, id: row.id };
  for (const { name, value } of readFields(site, row, fields)) record[name] = value;
  return record;
}
