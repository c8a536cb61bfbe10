/**
 * create / update / delete as the server does them: decode wire values, fill
 * defaults and server-set attributes, check required, immutable and foreign
 * keys, cascade deletes to owned children. Callers wrap a batch in a
 * transaction, so a refusal here undoes the whole batch. Required attributes
 * are checked when the batch ends (checkRequired), as ftrack does on flush, so
 * a later operation of the same batch may still fill them (a Note created and
 * then appended to its parent's `notes`).
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
    else if (attr.kind === 'collection' && !attr.where && !attr.mapped && Array.isArray(value)) continue;
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
  const missingKey = stored.primaryKey.filter((name) => record[name] === null || record[name] === undefined);
  if (missingKey.length) throw validationError(`Missing required attributes for ${stored.name}: ${missingKey.join(', ')}.`, { missing: missingKey });
  if (graph.store.get(stored.name, stored.primaryKey.map((n) => record[n])) || (stored.primaryKey[0] === 'id' && graph.byId(record.id))) {
    throw validationError(`${stored.name} with key ${keyOf(record, stored.primaryKey)} already exists.`);
  }
  checkReferences(graph, stored, record, Object.keys(record));
  stored.onWrite?.(record, graph);
  graph.store.insert(record);
  graph.changes.push(describeChange('add', record));
  graph.created.push(record);
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
  const members = collectionMembers(def, data);
  const locked = [...new Set([...stored.primaryKey, ...(def.immutable ?? []), ...(stored.immutable ?? [])])];
  const changed = locked.filter((name) => name in fields && fields[name] !== record[name]);
  if (changed.length) throw validationError(`Cannot change immutable attributes of ${def.name}: ${changed.join(', ')}.`, { immutable: changed });
  const next: EntityRecord = { ...record, ...fields };
  checkReferences(graph, stored, next, Object.keys(fields));
  stored.onWrite?.(next, graph);
  const before = { ...record };
  graph.store.patch(record, next);
  graph.changes.push(describeChange('update', record, before));
  for (const { attr, member } of members) adopt(graph, attr, member, record.id);
  return def.storedAs ? (graph.find(def.name, keyValues) ?? record) : record;
}

type CollectionAttr = Extract<TypeDef['attributes'][string], { kind: 'collection' }>;

/** The entity references an update lists for plain collections (`notes: [{__entity_type__, id}]`). */
function collectionMembers(def: TypeDef, data: Record<string, unknown>): { attr: CollectionAttr; member: Record<string, unknown> }[] {
  const out: { attr: CollectionAttr; member: Record<string, unknown> }[] = [];
  for (const [name, value] of Object.entries(data)) {
    const attr = def.attributes[name];
    if (attr?.kind !== 'collection' || !Array.isArray(value)) continue;
    for (const member of value) {
      if (typeof member !== 'object' || member === null) throw validationError(`"${name}" on ${def.name} must list entity references.`);
      out.push({ attr, member: member as Record<string, unknown> });
    }
  }
  return out;
}

/** Links a listed member to its new owner by setting the member's foreign key, as ftrack does. */
function adopt(graph: EntityGraph, attr: CollectionAttr, member: Record<string, unknown>, ownerId: unknown): void {
  const target = graph.byId(member.id);
  if (!target || !isA(target.__entity_type__, attr.target)) throw notFoundError(attr.target, member.id);
  if (target[attr.foreignKey] === ownerId) return;
  updateEntity(graph, target.__entity_type__, [target.id], { [attr.foreignKey]: ownerId });
}

/** Refuses the batch when an entity it created still lacks a required attribute. */
export function checkRequired(graph: EntityGraph): void {
  for (const created of graph.created) {
    const stored = getTypeDef(created.__entity_type__);
    const record = stored ? graph.store.get(stored.name, stored.primaryKey.map((n) => created[n])) : undefined;
    if (!stored || !record) continue;
    const missing = (stored.required ?? []).filter((name) => record[name] === null || record[name] === undefined);
    if (missing.length) throw validationError(`Missing required attributes for ${stored.name}: ${missing.join(', ')}.`, { missing });
  }
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
