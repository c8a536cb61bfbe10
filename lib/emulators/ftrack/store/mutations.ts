/**
 * create / update / delete as the server does them: decode wire values, fill
 * defaults and server-set attributes, check required, immutable and foreign
 * keys, cascade deletes to owned children. Callers wrap a batch in a
 * transaction, so a refusal here undoes the whole batch.
 */
import { randomUUID } from 'node:crypto';
import { decodeDatetime } from '../codec.ts';
import { notFoundError, validationError } from '../errors.ts';
import { getTypeDef, isA, type EntityRecord, type TypeDef } from '../model/index.ts';
import { UID_DEFAULT } from '../model/types.ts';
import { describeChange } from './changes.ts';
import type { EntityGraph } from './graph.ts';
import { keyOf } from './table-store.ts';

function typeDefOrFail(type: unknown): TypeDef {
  const def = typeof type === 'string' ? getTypeDef(type) : undefined;
  if (!def) throw validationError(`Unknown entity type ${JSON.stringify(type)}.`, { entityType: type });
  return def;
}

/** The stored type behind a create/update/delete, refusing abstract types. */
function writableDef(type: unknown): { def: TypeDef; stored: TypeDef } {
  const def = typeDefOrFail(type);
  const stored = def.storedAs ? typeDefOrFail(def.storedAs) : def;
  if (stored.subtypes) throw validationError(`${def.name} is abstract; create one of ${stored.subtypes.join(', ')} instead.`);
  return { def, stored };
}

/** Decodes entity_data into stored fields: datetimes, and `{__entity_type__, id}` references. */
function decode(def: TypeDef, data: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, value] of Object.entries(data)) {
    if (name === '__entity_type__') continue;
    const attr = def.attributes[name];
    if (!attr) problems.push(`${def.name} has no attribute "${name}".`);
    else if (attr.kind === 'scalar') fields[name] = attr.type === 'datetime' ? decodeDatetime(value, name) : value;
    else if (attr.kind === 'ref') fields[attr.via] = value === null ? null : (value as { id?: unknown }).id;
    else problems.push(`"${name}" on ${def.name} is ${attr.kind === 'computed' ? 'computed' : 'a collection'} and cannot be set.`);
  }
  if (problems.length) throw validationError(problems.join(' '), { problems });
  return fields;
}

function checkReferences(graph: EntityGraph, def: TypeDef, record: EntityRecord, names: Iterable<string>): void {
  const problems: string[] = [];
  for (const name of names) {
    const attr = def.attributes[name];
    const value = record[name];
    if (attr?.kind !== 'scalar' || !attr.foreignKey || value === null || value === undefined) continue;
    const target = graph.byId(value);
    if (!target || !isA(target.__entity_type__, attr.foreignKey)) problems.push(`${name}: no ${attr.foreignKey} with id ${JSON.stringify(value)}.`);
  }
  if (problems.length) throw validationError(`${def.name} refers to missing entities: ${problems.join(' ')}`, { problems });
}

function keyArray(key: unknown): unknown[] {
  return Array.isArray(key) ? key : [key];
}

export function createEntity(graph: EntityGraph, type: unknown, data: Record<string, unknown>): EntityRecord {
  const { def, stored } = writableDef(type);
  const record: EntityRecord = { __entity_type__: stored.name, ...decode(def, data) };
  for (const [name, attr] of Object.entries(stored.attributes)) {
    if (attr.kind !== 'scalar' || record[name] !== undefined) continue;
    record[name] = attr.default === UID_DEFAULT ? randomUUID() : (attr.default ?? null);
  }
  stored.onCreate?.(record, graph);
  const missing = [...stored.primaryKey, ...(stored.required ?? [])].filter((name) => record[name] === null || record[name] === undefined);
  if (missing.length) throw validationError(`Missing required attributes for ${stored.name}: ${[...new Set(missing)].join(', ')}.`, { missing });
  if (graph.store.get(stored.name, stored.primaryKey.map((n) => record[n])) || (stored.primaryKey[0] === 'id' && graph.byId(record.id))) {
    throw validationError(`${stored.name} with key ${keyOf(record, stored.primaryKey)} already exists.`);
  }
  checkReferences(graph, stored, record, Object.keys(record));
  stored.onWrite?.(record, graph);
  graph.store.insert(record);
  graph.changes.push(describeChange('add', record));
  return def.storedAs ? (graph.find(def.name, def.primaryKey.map((n) => record[n])) ?? record) : record;
}

export function updateEntity(graph: EntityGraph, type: unknown, key: unknown, data: Record<string, unknown>): EntityRecord {
  const { def, stored } = writableDef(type);
  const keyValues = keyArray(key);
  if (def.storedAs && !graph.find(def.name, keyValues)) throw notFoundError(def.name, key);
  let record = graph.store.get(stored.name, keyValues);
  if (!record && def.storedAs) {
    record = createEntity(graph, stored.name, Object.fromEntries(stored.primaryKey.map((n, i) => [n, keyValues[i]])));
  }
  if (!record) throw notFoundError(def.name, key);
  const fields = decode(def, data);
  const locked = [...new Set([...stored.primaryKey, ...(def.immutable ?? []), ...(stored.immutable ?? [])])];
  const changed = locked.filter((name) => name in fields && fields[name] !== record[name]);
  if (changed.length) throw validationError(`Cannot change immutable attributes of ${def.name}: ${changed.join(', ')}.`, { immutable: changed });
  const next: EntityRecord = { ...record, ...fields };
  checkReferences(graph, stored, next, Object.keys(fields));
  stored.onWrite?.(next, graph);
  const before = { ...record };
  graph.store.patch(record, next);
  graph.changes.push(describeChange('update', record, before));
  return def.storedAs ? (graph.find(def.name, keyValues) ?? record) : record;
}

function removeWithChildren(graph: EntityGraph, record: EntityRecord, depth: number): void {
  if (depth > 50) throw validationError('Delete cascades deeper than 50 levels; refusing.');
  const def = getTypeDef(record.__entity_type__);
  for (const [name, attr] of Object.entries(def?.attributes ?? {})) {
    if (attr.kind !== 'collection' || !attr.cascade) continue;
    for (const child of graph.related(record, name) as EntityRecord[]) removeWithChildren(graph, child, depth + 1);
  }
  for (const value of [...graph.store.where('CustomAttributeValue', 'entity_id', record.id)]) graph.store.remove(value);
  graph.store.remove(record);
  graph.changes.push(describeChange('remove', record));
}

export function deleteEntity(graph: EntityGraph, type: unknown, key: unknown): void {
  const { def, stored } = writableDef(type);
  const keyValues = keyArray(key);
  const record = graph.store.get(stored.name, keyValues);
  if (!record) {
    if (def.storedAs && graph.find(def.name, keyValues)) return;
    throw notFoundError(def.name, key);
  }
  removeWithChildren(graph, record, 0);
}
