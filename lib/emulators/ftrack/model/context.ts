/**
 * The project hierarchy: Project and the TypedContext family (Sequence, Shot,
 * Task, Folder, ...), which share one table in ftrack and differ by object type.
 * `Context` spans both.
 */
import { DEFAULT_PRIORITY_ID, DEFAULT_PROJECT_SCHEMA_ID, OBJECT_TYPE_IDS, type TypedContextName } from '../constants.ts';
import { nowDatetime } from '../codec.ts';
import { customAttributeValues } from './custom-attributes.ts';
import { fk, many, ref, scalar, UID_DEFAULT, type AttrDef, type EntityRecord, type ModelContext, type TypeDef } from './types.ts';

export const TYPED_CONTEXT_TYPES = Object.keys(OBJECT_TYPE_IDS) as TypedContextName[];

/** Parent chain from the record's parent up to (and including) the project. */
export function parentChain(record: EntityRecord, ctx: ModelContext): EntityRecord[] {
  const chain: EntityRecord[] = [];
  let current = ctx.byId(record.parent_id);
  for (let depth = 0; current && depth < 100; depth += 1) {
    chain.push(current);
    current = ctx.byId(current.parent_id);
  }
  return chain;
}

const linkOf = (record: EntityRecord, ctx: ModelContext): unknown =>
  [record, ...parentChain(record, ctx)].reverse().map((entry) => ({
    id: entry.id,
    name: entry.name,
    type: entry.__entity_type__ === 'Project' ? 'Project' : 'TypedContext',
  }));

const descendantsOf = (record: EntityRecord, ctx: ModelContext): EntityRecord[] =>
  ctx.scan('TypedContext').filter((candidate) => parentChain(candidate, ctx).some((p) => p.id === record.id));

const contextAttributes: Record<string, AttrDef> = {
  id: scalar('string', { default: UID_DEFAULT }),
  name: scalar('string', { default: '' }),
  context_type: scalar('string'),
  parent_id: fk('Context'),
  parent: ref('Context', 'parent_id'),
  project_id: fk('Project'),
  created_at: scalar('datetime'),
  created_by_id: fk('User'),
  created_by: ref('User', 'created_by_id'),
  thumbnail_id: fk('Component'),
  thumbnail: ref('Component', 'thumbnail_id'),
  children: many('Context', 'parent_id', { cascade: true }),
  descendants: { kind: 'computed', target: 'TypedContext', many: true, compute: descendantsOf },
  appointments: many('Appointment', 'context_id', { cascade: true }),
  assignments: many('Appointment', 'context_id', { where: { type: 'assignment' } }),
  allocations: many('Appointment', 'context_id', { where: { type: 'allocation' } }),
  notes: many('Note', 'parent_id', { cascade: true }),
  timelogs: many('Timelog', 'context_id', { cascade: true }),
  assets: many('Asset', 'context_id', { cascade: true }),
  metadata: many('Metadata', 'parent_id', { cascade: true, mapped: true }),
  custom_attributes: {
    kind: 'computed',
    target: 'ContextCustomAttributeValue',
    many: true,
    mapped: true,
    compute: (record, ctx) => customAttributeValues(record, ctx),
  },
  link: { kind: 'computed', type: 'json', compute: linkOf },
};

const contextProjections = { defaultProjections: ['context_type', 'id', 'name'], primaryKey: ['id'] };

export const contextType: TypeDef = {
  name: 'Context',
  subtypes: ['Project', ...TYPED_CONTEXT_TYPES],
  ...contextProjections,
  attributes: contextAttributes,
  systemProjections: ['context_type'],
};

export const projectType: TypeDef = {
  name: 'Project',
  ...contextProjections,
  aliasFor: 'Show',
  attributes: {
    ...contextAttributes,
    full_name: scalar('string'),
    root: scalar('string', { default: '' }),
    status: scalar('string', { default: 'active' }),
    is_global: scalar('boolean', { default: false }),
    is_private: scalar('boolean', { default: false }),
    color: scalar('string', { default: '#1f77b4' }),
    start_date: scalar('datetime'),
    end_date: scalar('datetime'),
    project_schema_id: fk('ProjectSchema'),
    project_schema: ref('ProjectSchema', 'project_schema_id'),
  },
  systemProjections: ['context_type'],
  required: ['name', 'full_name'],
  immutable: ['id', 'context_type', 'link', 'created_at'],
  onCreate(record) {
    record.context_type = 'show';
    record.parent_id = null;
    record.full_name ??= record.name;
    record.project_schema_id ??= DEFAULT_PROJECT_SCHEMA_ID;
    record.created_at ??= nowDatetime();
  },
};

const typedContextAttributes: Record<string, AttrDef> = {
  ...contextAttributes,
  project: ref('Project', 'project_id'),
  object_type_id: fk('ObjectType'),
  object_type: ref('ObjectType', 'object_type_id'),
  type_id: fk('Type'),
  type: ref('Type', 'type_id'),
  status_id: fk('Status'),
  status: ref('Status', 'status_id'),
  priority_id: fk('Priority'),
  priority: ref('Priority', 'priority_id'),
  description: scalar('string', { default: '' }),
  bid: scalar('number', { default: 0 }),
  sort: scalar('number', { default: 0 }),
  start_date: scalar('datetime'),
  end_date: scalar('datetime'),
  ancestors: {
    kind: 'computed',
    target: 'TypedContext',
    many: true,
    compute: (record, ctx) => parentChain(record, ctx).filter((p) => p.__entity_type__ !== 'Project').reverse(),
  },
  time_logged: {
    kind: 'computed',
    type: 'number',
    compute: (record, ctx) => ctx.related(record, 'timelogs').reduce<number>((sum, t) => sum + Number((t as EntityRecord).duration ?? 0), 0),
  },
};

function firstBySort(ctx: ModelContext, type: string): unknown {
  const rows = ctx.scan(type).sort((a, b) => Number(a.sort ?? 0) - Number(b.sort ?? 0));
  return rows[0]?.id ?? null;
}

function typedContext(name: string, objectTypeId?: string): TypeDef {
  return {
    name,
    ...contextProjections,
    ...(objectTypeId ? { aliasFor: { id: 'Task', classifiers: { object_typeid: objectTypeId } } } : { aliasFor: 'Task' }),
    attributes: typedContextAttributes,
    systemProjections: ['project_id', 'context_type', 'object_type_id'],
    required: ['name', 'parent_id'],
    immutable: ['id', 'object_type_id', 'context_type', 'project_id', 'link', 'created_at'],
    ...(objectTypeId
      ? {
          onCreate(record: EntityRecord, ctx: ModelContext) {
            record.context_type = 'task';
            record.object_type_id = objectTypeId;
            const parent = ctx.byId(record.parent_id);
            record.project_id = parent ? (parent.__entity_type__ === 'Project' ? parent.id : parent.project_id) : null;
            record.priority_id ??= DEFAULT_PRIORITY_ID;
            record.status_id ??= firstBySort(ctx, 'Status');
            if (name === 'Task') record.type_id ??= firstBySort(ctx, 'Type');
            record.created_at ??= nowDatetime();
            record.created_by_id ??= ctx.userId ?? null;
          },
        }
      : {}),
  };
}

export const typedContextType: TypeDef = { ...typedContext('TypedContext'), subtypes: TYPED_CONTEXT_TYPES };
export const typedContextTypes: TypeDef[] = TYPED_CONTEXT_TYPES.map((name) => typedContext(name, OBJECT_TYPE_IDS[name]));

export const objectTypeType: TypeDef = {
  name: 'ObjectType',
  primaryKey: ['id'],
  defaultProjections: ['id'],
  attributes: {
    id: scalar('string', { default: UID_DEFAULT }),
    name: scalar('string'),
    icon: scalar('string', { default: 'default' }),
    sort: scalar('integer', { default: 0 }),
    is_leaf: scalar('boolean', { default: false }),
    is_statusable: scalar('boolean', { default: true }),
    is_taskable: scalar('boolean', { default: true }),
    is_typeable: scalar('boolean', { default: true }),
    is_time_reportable: scalar('boolean', { default: false }),
    is_schedulable: scalar('boolean', { default: false }),
  },
  required: ['name'],
};

export const projectSchemaType: TypeDef = {
  name: 'ProjectSchema',
  primaryKey: ['id'],
  defaultProjections: ['id'],
  attributes: { id: scalar('string', { default: UID_DEFAULT }), name: scalar('string') },
};

export const appointmentType: TypeDef = {
  name: 'Appointment',
  primaryKey: ['id'],
  defaultProjections: ['id'],
  attributes: {
    id: scalar('string', { default: UID_DEFAULT }),
    context_id: fk('Context'),
    context: ref('Context', 'context_id'),
    resource_id: fk('Resource'),
    resource: ref('Resource', 'resource_id'),
    type: scalar('string', { default: 'assignment' }),
  },
  required: ['context_id', 'resource_id', 'type'],
};
