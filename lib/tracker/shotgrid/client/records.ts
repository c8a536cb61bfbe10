/**
 * JSON:API records ↔ flat objects. ShotGrid answers scalars under
 * `attributes` and links under `relationships.<field>.data`; a flat record
 * puts both beside `type` and `id`, the way the Python API returns rows.
 * Writes send links as bare `{type, id}` and dates as UTC ISO.
 */
import { formatTimestamp } from './time.ts';

/** A link to another record, as read (`name` is the display name ShotGrid adds). */
export interface EntityLink {
  type: string;
  id: number;
  name?: string | undefined;
}

/** A record with its fields flattened: `{type, id, code, project: {type,id,name}, 'entity.Shot.code': …}`. */
export type FlatRecord = { type: string; id: number } & Record<string, unknown>;

/** A record as the REST API sends it. */
export interface WireRecord {
  type: string;
  id: number;
  attributes?: Record<string, unknown>;
  relationships?: Record<string, { data?: unknown }>;
  links?: unknown;
}

export function flatten(record: WireRecord): FlatRecord {
  const flat: FlatRecord = { ...(record.attributes ?? {}), type: record.type, id: Number(record.id) };
  for (const [field, rel] of Object.entries(record.relationships ?? {})) flat[field] = rel?.data ?? null;
  return flat;
}

/** Appends to, removes from or replaces a multi-entity field instead of the default replace. */
export interface MultiEntityUpdate {
  multi_entity_update_mode: 'add' | 'remove' | 'set';
  value: EntityLink[];
}

export const addTo = (...links: EntityLink[]): MultiEntityUpdate => ({ multi_entity_update_mode: 'add', value: links });
export const removeFrom = (...links: EntityLink[]): MultiEntityUpdate => ({ multi_entity_update_mode: 'remove', value: links });

export const link = (type: string, id: number | string): EntityLink => ({ type, id: Number(id) });

function isLink(value: unknown): value is EntityLink {
  return typeof value === 'object' && value !== null && typeof (value as EntityLink).type === 'string' && typeof (value as EntityLink).id === 'number';
}

function wireValue(value: unknown): unknown {
  if (value instanceof Date) return formatTimestamp(value);
  if (isLink(value)) return { type: value.type, id: value.id };
  if (Array.isArray(value)) return value.map(wireValue);
  if (typeof value === 'object' && value !== null && 'multi_entity_update_mode' in value) {
    const update = value as MultiEntityUpdate;
    return { multi_entity_update_mode: update.multi_entity_update_mode, value: update.value.map(wireValue) };
  }
  return value;
}

/** The body of a create or update: links stripped to `{type,id}`, dates as UTC ISO, undefined left out. */
export function toWire(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) if (value !== undefined) out[key] = wireValue(value);
  return out;
}

/** A single-entity field's link, or undefined. */
export function linkOf(value: unknown): EntityLink | undefined {
  return isLink(value) ? value : undefined;
}

/** A multi-entity field's links (never null). */
export function linksOf(value: unknown): EntityLink[] {
  return Array.isArray(value) ? value.filter(isLink) : [];
}
