/**
 * Records in the REST API's JSON:API-like shape: scalars (and dotted paths)
 * under `attributes`, links under `relationships.<field>.data`, `links.self`
 * with the plural snake type name.
 */
import { readFields } from '../render.ts';
import { pluralSnake } from '../schema/index.ts';
import type { Site } from '../site.ts';
import type { Row } from '../store/index.ts';

export const selfLink = (prefix: string, type: string, id: number): string => `${prefix}/entity/${pluralSnake(type)}/${id}`;

/** `2026-09-04 03:51:48 UTC`, the form create responses use for datetimes. */
const createStyle = (value: unknown): unknown => (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(value) ? `${value.slice(0, 10)} ${value.slice(11, 19)} UTC` : value);

export function restRecord(site: Site, prefix: string, row: Row, fields: string[], options: { created?: boolean } = {}): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  const relationships: Record<string, unknown> = {};
  const self = selfLink(prefix, row.type, row.id);
  for (const { field, name, value } of readFields(site, row, fields)) {
    if (!name.includes('.') && (field.dataType === 'entity' || field.dataType === 'multi_entity')) {
      const related = field.dataType === 'entity' && value ? { related: selfLink(prefix, (value as { type: string }).type, (value as { id: number }).id) } : {};
      relationships[name] = { data: value, links: { self: `${self}/relationships/${name}`, ...related } };
    } else {
      attributes[name] = options.created && field.dataType === 'date_time' ? createStyle(value) : value;
    }
  }
  return { type: row.type, id: row.id, attributes, relationships, links: { self } };
}
