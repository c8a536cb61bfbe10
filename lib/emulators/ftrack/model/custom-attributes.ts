/**
 * Custom attributes: configurations (key, type, default, which entities they
 * apply to), stored values, and the value views that `custom_attributes`
 * exposes. Like ftrack, a view row carries the explicit value or the
 * configuration's default — hierarchical values are not inherited.
 */
import { validationError } from '../errors.ts';
import { parseDatetime } from '../codec.ts';
import { fk, many, ref, scalar, UID_DEFAULT, type EntityRecord, type ModelContext, type TypeDef } from './types.ts';

const VIEW_FOR: Record<string, string> = { AssetVersion: 'AssetVersionCustomAttributeValue' };
const viewNameFor = (entityType: string): string => VIEW_FOR[entityType] ?? 'ContextCustomAttributeValue';

function applies(config: EntityRecord, record: EntityRecord): boolean {
  const type = record.__entity_type__;
  const projectId = type === 'Project' ? record.id : record.project_id;
  if (config.project_id && config.project_id !== projectId) return false;
  if (type === 'AssetVersion') return config.entity_type === 'assetversion';
  if (config.is_hierarchical) return type === 'Project' || record.context_type === 'task';
  if (type === 'Project') return config.entity_type === 'show';
  return config.entity_type === 'task' && config.object_type_id === record.object_type_id;
}

/** The `custom_attributes` rows of one entity, in configuration order. */
export function customAttributeValues(record: EntityRecord, ctx: ModelContext): EntityRecord[] {
  const stored = new Map(ctx.where('CustomAttributeValue', 'entity_id', record.id).map((v) => [v.configuration_id, v]));
  return ctx
    .scan('CustomAttributeConfiguration')
    .filter((config) => applies(config, record))
    .sort((a, b) => Number(a.sort ?? 0) - Number(b.sort ?? 0))
    .map((config) => ({
      __entity_type__: viewNameFor(record.__entity_type__),
      configuration_id: config.id,
      entity_id: record.id,
      key: config.key,
      value: stored.has(config.id) ? stored.get(config.id)?.value : (config.default ?? null),
      project_id: record.__entity_type__ === 'Project' ? record.id : (record.project_id ?? null),
    }));
}

/** Converts a value to what the configuration's type holds, or refuses it. */
function coerce(config: EntityRecord, value: unknown, ctx: ModelContext): unknown {
  if (value === null || value === undefined) return null;
  const typeName = ctx.byId(config.type_id)?.name;
  const fail = (): never => {
    throw validationError(`Value ${JSON.stringify(value)} is not valid for custom attribute "${String(config.key)}" of type ${String(typeName)}.`);
  };
  switch (typeName) {
    case 'number': {
      const number = typeof value === 'number' ? value : Number(value);
      return typeof value === 'boolean' || value === '' || Number.isNaN(number) ? fail() : number;
    }
    case 'boolean':
      return typeof value === 'boolean' ? value : fail();
    case 'date':
      return (typeof value === 'string' && parseDatetime(value)) || fail();
    case 'enumerator':
      return Array.isArray(value) ? value.map(String) : [String(value)];
    default:
      return typeof value === 'object' ? fail() : String(value);
  }
}

export const customAttributeTypeType: TypeDef = {
  name: 'CustomAttributeType',
  primaryKey: ['id'],
  defaultProjections: ['id'],
  attributes: { id: scalar('string', { default: UID_DEFAULT }), name: scalar('string'), core: scalar('boolean', { default: false }) },
};

export const customAttributeConfigurationType: TypeDef = {
  name: 'CustomAttributeConfiguration',
  primaryKey: ['id'],
  defaultProjections: ['id'],
  attributes: {
    id: scalar('string', { default: UID_DEFAULT }),
    key: scalar('string'),
    label: scalar('string'),
    entity_type: scalar('string'),
    object_type_id: scalar('string'),
    object_type: ref('ObjectType', 'object_type_id'),
    project_id: scalar('string'),
    is_hierarchical: scalar('boolean', { default: false }),
    default: scalar('variable'),
    config: scalar('string', { default: '{}' }),
    core: scalar('boolean', { default: false }),
    sort: scalar('integer', { default: 0 }),
    type_id: fk('CustomAttributeType'),
    type: ref('CustomAttributeType', 'type_id'),
    values: many('CustomAttributeValue', 'configuration_id', { cascade: true }),
  },
  required: ['key', 'entity_type', 'type_id'],
};

const valueAttributes = {
  configuration_id: fk('CustomAttributeConfiguration'),
  configuration: ref('CustomAttributeConfiguration', 'configuration_id'),
  entity_id: scalar('string'),
  value: scalar('variable'),
};

export const customAttributeValueType: TypeDef = {
  name: 'CustomAttributeValue',
  primaryKey: ['configuration_id', 'entity_id'],
  defaultProjections: ['configuration_id', 'entity_id'],
  aliasFor: 'Variable_Value',
  attributes: valueAttributes,
  required: ['configuration_id', 'entity_id'],
  immutable: ['configuration_id', 'entity_id'],
  onWrite(record, ctx) {
    const config = ctx.byId(record.configuration_id);
    const entity = ctx.byId(record.entity_id);
    if (!config || !entity) throw validationError('A custom attribute value needs an existing configuration_id and entity_id.');
    if (!applies(config, entity)) {
      throw validationError(`Custom attribute "${String(config.key)}" does not apply to ${entity.__entity_type__} ${String(entity.id)}.`);
    }
    record.value = coerce(config, record.value, ctx);
  },
};

function valueView(name: string, entityTypes: string[]): TypeDef {
  return {
    name,
    primaryKey: ['configuration_id', 'entity_id'],
    defaultProjections: ['configuration_id', 'entity_id', 'key'],
    systemProjections: ['entity_id', 'key'],
    storedAs: 'CustomAttributeValue',
    attributes: { ...valueAttributes, key: scalar('string'), project_id: scalar('string') },
    immutable: ['configuration_id', 'entity_id', 'key'],
    view: (ctx) => entityTypes.flatMap((type) => ctx.scan(type)).flatMap((record) => customAttributeValues(record, ctx)),
  };
}

export const contextCustomAttributeValueType = valueView('ContextCustomAttributeValue', ['Context']);
export const assetVersionCustomAttributeValueType = valueView('AssetVersionCustomAttributeValue', ['AssetVersion']);
