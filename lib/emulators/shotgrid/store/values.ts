/**
 * Checks and normalises a value written to a field, by data type, the way the
 * site does: links are `{type, id}` hashes naming a live record of a valid
 * type, datetimes are normalised to UTC seconds, list and status values must
 * be among the valid values, url fields take a web link or a local path.
 */
import path from 'node:path';
import { badRequest } from '../errors.ts';
import type { FieldSchema } from '../schema/index.ts';
import type { Table } from './table.ts';

export interface Link {
  type: string;
  id: number;
}

export type MultiMode = 'set' | 'add' | 'remove';

const rubyClass = (value: unknown): string =>
  value === null ? 'NilClass' : Array.isArray(value) ? 'Array' : typeof value === 'string' ? 'String' : typeof value === 'number' ? (Number.isInteger(value) ? 'Integer' : 'Float') : typeof value === 'boolean' ? 'Boolean' : 'Hash';

function typeError(owner: string, field: FieldSchema, expected: string, value: unknown): never {
  throw badRequest(`${owner}.${field.name} expected [${expected}] but got ${rubyClass(value)}`, { [field.name]: `expected ${expected}` });
}

/** `2026-09-04T03:51:48Z` from any ISO-8601 datetime; zoneless means UTC; no space separator. */
export function toDateTime(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(value)) return undefined;
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? undefined : new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export const nowDateTime = (): string => new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export function isLink(value: unknown): value is Link {
  return typeof value === 'object' && value !== null && typeof (value as Link).type === 'string' && typeof (value as Link).id === 'number';
}

function link(table: Table, owner: string, field: FieldSchema, value: unknown): Link {
  if (!isLink(value)) typeError(owner, field, 'Hash, NilClass', value);
  if (field.validTypes && !field.validTypes.includes(value.type)) {
    throw badRequest(`${owner}.${field.name} cannot link to ${value.type}; valid types are ${field.validTypes.join(', ')}.`, { [field.name]: { valid_types: field.validTypes } });
  }
  const target = table.get(value.type, value.id);
  if (!target || target.retired) throw badRequest(`${owner}.${field.name}: ${value.type} with id ${value.id} does not exist.`, { [field.name]: value });
  return { type: value.type, id: value.id };
}

function urlValue(owner: string, field: FieldSchema, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) typeError(owner, field, 'Hash, NilClass', value);
  const given = value as Record<string, unknown>;
  if (typeof given['local_path'] === 'string') {
    const local = given['local_path'];
    return { link_type: 'local', local_path: local, local_path_linux: local, local_path_mac: local, local_path_windows: local.replaceAll('/', '\\'), name: given['name'] ?? path.basename(local), content_type: given['content_type'] ?? null };
  }
  if (typeof given['url'] === 'string') {
    return { link_type: given['link_type'] === 'upload' ? 'upload' : 'web', url: given['url'], name: given['name'] ?? given['url'], content_type: given['content_type'] ?? null, ...(isLink(given) ? { type: given.type, id: given.id } : {}) };
  }
  throw badRequest(`${owner}.${field.name} needs a url or a local_path.`, { [field.name]: 'expected {url, name} or {local_path}' });
}

/** The stored form of `value` for `field` of `owner`; `current` is the field's value before (for multi-entity modes). */
export function coerce(table: Table, owner: string, field: FieldSchema, value: unknown, current: unknown, mode: MultiMode = 'set'): unknown {
  if (field.dataType === 'multi_entity') {
    if (!Array.isArray(value)) typeError(owner, field, 'Array', value);
    const links = value.map((v) => link(table, owner, field, v));
    const before = Array.isArray(current) ? (current as Link[]) : [];
    const same = (a: Link, b: Link) => a.type === b.type && a.id === b.id;
    if (mode === 'add') return [...before, ...links.filter((l, i) => !before.some((b) => same(b, l)) && links.findIndex((o) => same(o, l)) === i)];
    if (mode === 'remove') return before.filter((b) => !links.some((l) => same(l, b)));
    return links.filter((l, i) => links.findIndex((o) => same(o, l)) === i);
  }
  if (value === null) return null;
  switch (field.dataType) {
    case 'entity':
      return link(table, owner, field, value);
    case 'text':
    case 'color':
    case 'entity_type':
    case 'uuid':
      if (typeof value !== 'string') typeError(owner, field, 'String, NilClass', value);
      return value;
    case 'number':
    case 'duration':
      if (typeof value !== 'number' || !Number.isInteger(value)) typeError(owner, field, 'Integer, NilClass', value);
      return value;
    case 'float':
    case 'percent':
      if (typeof value !== 'number') typeError(owner, field, 'Float, NilClass', value);
      return value;
    case 'checkbox':
      if (typeof value !== 'boolean') typeError(owner, field, 'TrueClass, FalseClass', value);
      return value;
    case 'date':
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) typeError(owner, field, 'Date (YYYY-MM-DD), NilClass', value);
      return value;
    case 'date_time': {
      const normal = toDateTime(value);
      if (!normal) throw badRequest(`${owner}.${field.name} expects an ISO-8601 datetime such as 2026-09-04T03:51:48Z, not ${JSON.stringify(value)}.`, { [field.name]: 'invalid datetime' });
      return normal;
    }
    case 'status_list':
    case 'list':
      if (typeof value !== 'string') typeError(owner, field, 'String, NilClass', value);
      if (field.validValues && !field.validValues.includes(value)) {
        throw badRequest(`${owner}.${field.name} value '${value}' is not a valid value; valid values are ${field.validValues.join(', ')}.`, { [field.name]: { valid_values: field.validValues } });
      }
      return value;
    case 'url':
      return urlValue(owner, field, value);
    case 'tag_list':
      if (!Array.isArray(value)) typeError(owner, field, 'Array', value);
      return value;
    case 'image':
      throw badRequest(`${owner}.${field.name} is set by uploading a file; write null to clear it.`, { [field.name]: 'upload an image' });
    default:
      return value;
  }
}
