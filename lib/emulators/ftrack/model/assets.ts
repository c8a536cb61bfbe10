/**
 * Published data: assets, versions (numbered by the server), components in
 * locations, and key/value metadata on any entity.
 */
import { nowDatetime } from '../codec.ts';
import { SERVER_LOCATION_ID } from '../constants.ts';
import { customAttributeValues } from './custom-attributes.ts';
import { fk, many, ref, scalar, UID_DEFAULT, type AttrDef, type EntityRecord, type ModelContext, type TypeDef } from './types.ts';

const id = (): AttrDef => scalar('string', { default: UID_DEFAULT });

const versionsOf = (assetId: unknown, ctx: ModelContext): EntityRecord[] =>
  ctx.where('AssetVersion', 'asset_id', assetId);

const latestOf = (assetId: unknown, ctx: ModelContext): EntityRecord | undefined =>
  versionsOf(assetId, ctx).reduce<EntityRecord | undefined>((best, v) => (!best || Number(v.version) > Number(best.version) ? v : best), undefined);

export const assetTypeType: TypeDef = {
  name: 'AssetType',
  primaryKey: ['id'],
  defaultProjections: ['id'],
  attributes: {
    id: id(),
    name: scalar('string'),
    short: scalar('string'),
    component: scalar('string', { default: 'main' }),
    assets: many('Asset', 'type_id'),
  },
  required: ['name', 'short'],
};

export const assetType: TypeDef = {
  name: 'Asset',
  primaryKey: ['id'],
  defaultProjections: ['id'],
  systemProjections: ['context_id'],
  attributes: {
    id: id(),
    name: scalar('string'),
    context_id: fk('Context'),
    parent: ref('Context', 'context_id'),
    type_id: fk('AssetType'),
    type: ref('AssetType', 'type_id'),
    versions: many('AssetVersion', 'asset_id', { cascade: true }),
    latest_version: { kind: 'computed', target: 'AssetVersion', compute: (record, ctx) => latestOf(record.id, ctx) ?? null },
    metadata: many('Metadata', 'parent_id', { cascade: true, mapped: true }),
  },
  required: ['name', 'context_id'],
};

export const assetVersionType: TypeDef = {
  name: 'AssetVersion',
  primaryKey: ['id'],
  defaultProjections: ['id'],
  systemProjections: ['asset_id'],
  attributes: {
    id: id(),
    version: scalar('integer'),
    comment: scalar('string', { default: '' }),
    date: scalar('datetime'),
    is_published: scalar('boolean', { default: true }),
    asset_id: fk('Asset'),
    asset: ref('Asset', 'asset_id'),
    task_id: fk('TypedContext'),
    task: ref('TypedContext', 'task_id'),
    status_id: fk('Status'),
    status: ref('Status', 'status_id'),
    user_id: fk('User'),
    user: ref('User', 'user_id'),
    thumbnail_id: fk('Component'),
    thumbnail: ref('Component', 'thumbnail_id'),
    components: many('Component', 'version_id', { cascade: true }),
    notes: many('Note', 'parent_id', { cascade: true }),
    metadata: many('Metadata', 'parent_id', { cascade: true, mapped: true }),
    is_latest_version: { kind: 'computed', type: 'boolean', compute: (record, ctx) => latestOf(record.asset_id, ctx)?.id === record.id },
    custom_attributes: {
      kind: 'computed',
      target: 'AssetVersionCustomAttributeValue',
      many: true,
      mapped: true,
      compute: (record, ctx) => customAttributeValues(record, ctx),
    },
  },
  required: ['asset_id'],
  immutable: ['id', 'is_latest_version'],
  onCreate(record, ctx) {
    if (record.version === undefined || record.version === null) {
      record.version = versionsOf(record.asset_id, ctx).reduce((max, v) => Math.max(max, Number(v.version) || 0), 0) + 1;
    }
    record.date ??= nowDatetime();
    record.user_id ??= ctx.userId ?? null;
    record.status_id ??= ctx.scan('Status').sort((a, b) => Number(a.sort ?? 0) - Number(b.sort ?? 0))[0]?.id ?? null;
  },
};

const SYSTEM_TYPES: Record<string, string> = { FileComponent: 'file', SequenceComponent: 'sequence', ContainerComponent: 'container' };

const componentAttributes: Record<string, AttrDef> = {
  id: id(),
  name: scalar('string', { default: 'main' }),
  file_type: scalar('string', { default: '' }),
  size: scalar('integer', { default: 0 }),
  system_type: scalar('string'),
  version_id: fk('AssetVersion'),
  version: ref('AssetVersion', 'version_id'),
  container_id: fk('ContainerComponent'),
  container: ref('ContainerComponent', 'container_id'),
  component_locations: many('ComponentLocation', 'component_id', { cascade: true }),
  metadata: many('Metadata', 'parent_id', { cascade: true, mapped: true }),
};

function component(name: string, extra: Record<string, AttrDef> = {}): TypeDef {
  return {
    name,
    primaryKey: ['id'],
    defaultProjections: ['id', 'system_type'],
    systemProjections: ['system_type', 'version_id'],
    attributes: { ...componentAttributes, ...extra },
    required: ['name'],
    immutable: ['id', 'system_type'],
    onCreate(record) {
      record.system_type = SYSTEM_TYPES[name] ?? 'file';
    },
  };
}

export const componentType: TypeDef = { ...component('Component'), subtypes: Object.keys(SYSTEM_TYPES) };
export const fileComponentType = component('FileComponent');
export const sequenceComponentType = component('SequenceComponent', { padding: scalar('integer', { default: 0 }) });
export const containerComponentType = component('ContainerComponent', { members: many('Component', 'container_id', { cascade: true }) });

export const locationType: TypeDef = {
  name: 'Location',
  primaryKey: ['id'],
  defaultProjections: ['id'],
  attributes: {
    id: id(),
    name: scalar('string'),
    label: scalar('string', { default: '' }),
    description: scalar('string', { default: '' }),
    location_components: many('ComponentLocation', 'location_id', { cascade: true }),
  },
  required: ['name'],
};

export const componentLocationType: TypeDef = {
  name: 'ComponentLocation',
  primaryKey: ['id'],
  defaultProjections: ['id'],
  systemProjections: ['location_id', 'component_id'],
  attributes: {
    id: id(),
    component_id: fk('Component'),
    component: ref('Component', 'component_id'),
    location_id: fk('Location'),
    location: ref('Location', 'location_id'),
    resource_identifier: scalar('string'),
    url: {
      kind: 'computed',
      type: 'json',
      compute: (record, ctx) =>
        record.location_id === SERVER_LOCATION_ID
          ? { value: `${ctx.baseUrl}/component/get?id=${encodeURIComponent(String(record.component_id))}` }
          : null,
    },
  },
  required: ['component_id', 'location_id'],
};

export const metadataType: TypeDef = {
  name: 'Metadata',
  primaryKey: ['parent_id', 'key'],
  defaultProjections: ['parent_id', 'key', 'value', 'parent_type'],
  aliasFor: 'Meta',
  attributes: {
    parent_id: scalar('string'),
    key: scalar('string'),
    value: scalar('string', { default: '' }),
    parent_type: scalar('string'),
  },
  required: ['parent_id', 'key'],
  immutable: ['parent_id', 'key'],
  onCreate(record, ctx) {
    const parent = ctx.byId(record.parent_id);
    record.parent_type ??= parent ? (parent.context_type === 'task' ? 'TypedContext' : parent.__entity_type__) : null;
  },
};
