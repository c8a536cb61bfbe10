/**
 * query_schemas output, generated from the model so the schemas always agree
 * with what the store and the query engine accept.
 */
import { createHash } from 'node:crypto';
import { relationTarget, typeDefs, type AttrDef, type TypeDef } from './index.ts';

type SchemaProperty = Record<string, unknown>;

function property(attr: AttrDef): SchemaProperty {
  if (attr.kind === 'scalar') return scalarProperty(attr.type, attr.default, attr.foreignKey !== undefined);
  const target = relationTarget(attr);
  if (!target) return scalarProperty(attr.kind === 'computed' ? (attr.type ?? 'object') : 'object', undefined, false);
  if (attr.kind === 'ref' || (attr.kind === 'computed' && !attr.many)) return { $ref: target };
  return attr.mapped
    ? { type: 'mapped_array', items: { $ref: target }, key_value_attributes: { key: 'key', value: 'value' } }
    : { type: 'array', items: { $ref: target } };
}

function scalarProperty(type: string, defaultValue: unknown, foreignKey: boolean): SchemaProperty {
  switch (type) {
    case 'datetime':
      return { type: 'string', format: 'date-time' };
    case 'json':
      return { type: 'string', format: 'json' };
    case 'variable':
      return { type: 'variable' };
    default: {
      const base: SchemaProperty = { type };
      if (defaultValue !== undefined) base.default = defaultValue;
      if (foreignKey) base.format = 'foreign_key';
      return base;
    }
  }
}

function schemaOf(def: TypeDef): Record<string, unknown> {
  const computed = Object.entries(def.attributes)
    .filter(([, attr]) => attr.kind === 'computed')
    .map(([name]) => name);
  const properties = Object.fromEntries(Object.entries(def.attributes).map(([name, attr]) => [name, property(attr)]));
  return {
    id: def.name,
    type: 'object',
    primary_key: def.primaryKey,
    default_projections: def.defaultProjections,
    system_projections: def.systemProjections ?? [],
    required: [...new Set([...def.primaryKey, ...(def.required ?? [])])],
    immutable: def.immutable ?? def.primaryKey,
    computed,
    properties,
    ...(def.aliasFor ? { alias_for: def.aliasFor } : {}),
  };
}

export const schemas: readonly Record<string, unknown>[] = typeDefs.map(schemaOf);

/** Changes whenever the schemas change, so caching clients refetch them. */
export const schemaHash = createHash('md5').update(JSON.stringify(schemas)).digest('hex');
