/**
 * People and workflow: users, statuses with their states, task types,
 * priorities, notes, time logs and jobs.
 */
import { nowDatetime } from '../codec.ts';
import { validationError } from '../errors.ts';
import { fk, many, ref, scalar, UID_DEFAULT, type AttrDef, type EntityRecord, type ModelContext, type TypeDef } from './types.ts';

const id = (): AttrDef => scalar('string', { default: UID_DEFAULT });
const simple = (name: string, attributes: Record<string, AttrDef>, extra: Partial<TypeDef> = {}): TypeDef => ({
  name,
  primaryKey: ['id'],
  defaultProjections: ['id'],
  attributes: { id: id(), ...attributes },
  ...extra,
});

const userAttributes: Record<string, AttrDef> = {
  username: scalar('string'),
  first_name: scalar('string', { default: '' }),
  last_name: scalar('string', { default: '' }),
  email: scalar('string', { default: '' }),
  is_active: scalar('boolean', { default: true }),
  resource_type: scalar('string', { default: 'user' }),
  thumbnail_id: fk('Component'),
  thumbnail: ref('Component', 'thumbnail_id'),
  appointments: many('Appointment', 'resource_id', { cascade: true }),
  assignments: many('Appointment', 'resource_id', { where: { type: 'assignment' } }),
  allocations: many('Appointment', 'resource_id', { where: { type: 'allocation' } }),
  timelogs: many('Timelog', 'user_id'),
  memberships: many('Membership', 'user_id', { cascade: true }),
  metadata: many('Metadata', 'parent_id', { cascade: true, mapped: true }),
};

export const userType = simple('User', userAttributes, {
  systemProjections: ['resource_type'],
  required: ['username'],
  immutable: ['id', 'resource_type'],
  onWrite(record, ctx) {
    const clash = ctx.scan('User').find((u) => u.username === record.username && u.id !== record.id);
    if (clash) throw validationError(`A user with username "${String(record.username)}" already exists.`);
  },
});
/** Users and groups; user attributes are accepted on Resource paths (`resource.username`) and match users only. */
export const resourceType: TypeDef = { ...simple('Resource', userAttributes), systemProjections: ['resource_type'], subtypes: ['User', 'Group'] };

export const groupType = simple(
  'Group',
  {
    name: scalar('string', { default: '' }),
    local: scalar('boolean', { default: false }),
    resource_type: scalar('string', { default: 'group' }),
    parent_id: fk('Group'),
    parent: ref('Group', 'parent_id'),
    children: many('Group', 'parent_id', { cascade: true }),
    memberships: many('Membership', 'group_id', { cascade: true }),
    appointments: many('Appointment', 'resource_id', { cascade: true }),
    assignments: many('Appointment', 'resource_id', { where: { type: 'assignment' } }),
  },
  { systemProjections: ['resource_type'], required: ['name'], immutable: ['id', 'resource_type'] },
);

export const membershipType = simple(
  'Membership',
  { user_id: fk('User'), user: ref('User', 'user_id'), group_id: fk('Group'), group: ref('Group', 'group_id') },
  { required: ['user_id', 'group_id'] },
);

export const stateType = simple('State', { name: scalar('string'), short: scalar('string') }, { aliasFor: 'StatusType' });

export const statusType = simple(
  'Status',
  {
    name: scalar('string'),
    color: scalar('string', { default: '#bdc3c7' }),
    sort: scalar('integer', { default: 0 }),
    is_active: scalar('boolean', { default: true }),
    state: ref('State', 'state_id'),
    tasks: many('Task', 'status_id'),
  },
  { aliasFor: 'TaskStatus', required: ['name'] },
);

export const taskTypeType = simple(
  'Type',
  {
    name: scalar('string'),
    color: scalar('string', { default: '#510100' }),
    sort: scalar('integer', { default: 0 }),
    is_billable: scalar('boolean', { default: true }),
    tasks: many('Task', 'type_id'),
  },
  { aliasFor: 'TaskType', required: ['name'] },
);

export const priorityType = simple(
  'Priority',
  { name: scalar('string'), color: scalar('string', { default: '#bdc3c7' }), sort: scalar('integer', { default: 0 }), value: scalar('number', { default: 0 }) },
  { aliasFor: 'PriorityType' },
);

/** Notes hang off contexts, versions and others; `parent_type` names the kind of parent. */
function parentTypeOf(record: EntityRecord, ctx: ModelContext): string | undefined {
  const parent = ctx.byId(record.parent_id);
  if (!parent) return undefined;
  return parent.context_type === 'task' ? 'TypedContext' : parent.__entity_type__;
}

export const noteType = simple(
  'Note',
  {
    content: scalar('string', { default: '' }),
    parent_id: scalar('string'),
    parent_type: scalar('string'),
    user_id: fk('User'),
    author: ref('User', 'user_id'),
    date: scalar('datetime'),
    category_id: scalar('string'),
    in_reply_to_id: fk('Note'),
    in_reply_to: ref('Note', 'in_reply_to_id'),
    is_todo: scalar('boolean', { default: false }),
    completed_at: scalar('datetime'),
    completed_by_id: fk('User'),
    completed_by: ref('User', 'completed_by_id'),
    replies: many('Note', 'in_reply_to_id', { cascade: true }),
    note_components: many('NoteComponent', 'note_id', { cascade: true }),
    metadata: many('Metadata', 'parent_id', { cascade: true, mapped: true }),
  },
  {
    required: ['parent_id', 'user_id'],
    onCreate(record, ctx) {
      record.user_id ??= ctx.userId ?? null;
      record.date ??= nowDatetime();
    },
    /** Also when the parent comes later in the batch, from its `notes` collection. */
    onWrite(record, ctx) {
      record.parent_type ??= parentTypeOf(record, ctx) ?? null;
    },
  },
);

export const noteComponentType: TypeDef = {
  name: 'NoteComponent',
  primaryKey: ['component_id', 'note_id'],
  defaultProjections: ['component_id', 'note_id'],
  attributes: {
    component_id: fk('Component'),
    component: ref('Component', 'component_id'),
    note_id: fk('Note'),
    note: ref('Note', 'note_id'),
  },
  required: ['component_id', 'note_id'],
};

export const timelogType = simple(
  'Timelog',
  {
    comment: scalar('string', { default: '' }),
    name: scalar('string', { default: '' }),
    start: scalar('datetime'),
    duration: scalar('number', { default: 0 }),
    time_zone_offset: scalar('number', { default: 0 }),
    user_id: fk('User'),
    user: ref('User', 'user_id'),
    context_id: fk('Context'),
    context: ref('Context', 'context_id'),
  },
  {
    systemProjections: ['user_id', 'context_id'],
    required: ['start', 'duration'],
    onCreate(record, ctx) {
      record.user_id ??= ctx.userId ?? null;
      record.start ??= nowDatetime();
    },
  },
);

export const jobType = simple(
  'Job',
  {
    status: scalar('string', { default: 'queued' }),
    type: scalar('string', { default: 'api_job' }),
    data: scalar('json'),
    user_id: fk('User'),
    user: ref('User', 'user_id'),
    created_at: scalar('datetime'),
    finished_at: scalar('datetime'),
    job_components: many('JobComponent', 'job_id', { cascade: true }),
  },
  {
    immutable: ['id', 'type'],
    onCreate(record, ctx) {
      record.user_id ??= ctx.userId ?? null;
      record.created_at ??= nowDatetime();
    },
    onWrite(record) {
      if (record.data !== null && typeof record.data === 'object') record.data = JSON.stringify(record.data);
      const known = ['queued', 'running', 'done', 'failed', 'killed'];
      if (!known.includes(String(record.status))) {
        throw validationError(`Job status must be one of ${known.join(', ')}, not ${JSON.stringify(record.status)}.`);
      }
    },
  },
);

export const jobComponentType: TypeDef = {
  name: 'JobComponent',
  primaryKey: ['component_id', 'job_id'],
  defaultProjections: ['component_id', 'job_id'],
  attributes: {
    component_id: fk('Component'),
    component: ref('Component', 'component_id'),
    job_id: fk('Job'),
    job: ref('Job', 'job_id'),
  },
  required: ['component_id', 'job_id'],
};
