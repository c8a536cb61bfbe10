/**
 * Create, update, retire and revive, as both APIs share them: field checks,
 * server defaults (`New Shot <id>`, default statuses, timestamps, creator),
 * multi-entity update modes, and an event for every change.
 */
import { badRequest, notFound, SgError, unknownType } from '../errors.ts';
import type { EntitySchema, FieldSchema, Schema } from '../schema/index.ts';
import { EventLog, type Actor, type NamedLink } from './events.ts';
import { mirror } from './inverses.ts';
import type { Row, Table } from './table.ts';
import { coerce, isLink, nowDateTime, type Link, type MultiMode } from './values.ts';

export type { Actor };

const MODES = new Set(['set', 'add', 'remove']);

export class Records {
  readonly table: Table;
  readonly schema: Schema;
  readonly events: EventLog;

  constructor(table: Table, schema: Schema) {
    this.table = table;
    this.schema = schema;
    this.events = new EventLog(table, (link) => this.named(link));
  }

  entity(type: string): EntitySchema {
    const entity = this.schema.entity(type);
    if (!entity) throw unknownType(type);
    return entity;
  }

  /** `{type, id, name}` for a link; name null when the record is gone. */
  named(link: Link): NamedLink {
    const row = this.table.get(link.type, link.id);
    const field = this.schema.entity(link.type)?.nameField;
    const name = row && field ? row.fields[field] : undefined;
    return { type: link.type, id: link.id, name: typeof name === 'string' ? name : name == null ? null : String(name) };
  }

  /** The live row, or a 404. */
  live(type: string, id: number): Row {
    const row = this.table.get(this.entity(type).type, id);
    if (!row || row.retired) throw notFound(type, id);
    return row;
  }

  private writable(entity: EntitySchema, name: string, verb: string): FieldSchema {
    const field = entity.fields.get(name);
    if (!field) throw badRequest(`API ${verb}() ${entity.type}.${name} doesn't exist.`, { [name]: 'unknown field' });
    if (!field.editable) throw badRequest(`API ${verb}() ${entity.type}.${name} is not editable.`, { [name]: 'not editable' });
    return field;
  }

  /** Splits a REST-style `{multi_entity_update_mode, value}` wrapper from a plain value. */
  private modeOf(field: FieldSchema, value: unknown, modes: Record<string, string>): { value: unknown; mode: MultiMode } {
    let mode = modes[field.name] ?? 'set';
    if (field.dataType === 'multi_entity' && typeof value === 'object' && value !== null && !Array.isArray(value) && 'multi_entity_update_mode' in value) {
      const wrapped = value as { multi_entity_update_mode: unknown; value?: unknown };
      mode = String(wrapped.multi_entity_update_mode);
      value = wrapped.value;
    }
    if (!MODES.has(mode)) throw badRequest(`multi_entity_update_mode must be one of set, add, remove, not ${JSON.stringify(mode)}.`, { [field.name]: 'invalid mode' });
    return { value, mode: mode as MultiMode };
  }

  /** Keeps the other side of a paired link field in step. */
  private linked(row: Row, field: FieldSchema, before: unknown, after: unknown): void {
    if (field.dataType !== 'entity' && field.dataType !== 'multi_entity') return;
    mirror(this.table, row, field.name, before, after, (type, name) => this.schema.field(type, name)?.dataType === 'multi_entity');
  }

  private checkIdentity(entity: EntitySchema, data: Record<string, unknown>): void {
    const identity = data[entity.nameField];
    if (identity === '' && entity.fields.get(entity.nameField)?.mandatory) {
      throw new SgError(400, 104, 'Cannot set identifier field to empty', { source: { [entity.nameField]: 'empty' } });
    }
  }

  create(type: string, data: Record<string, unknown>, actor: Actor, modes: Record<string, string> = {}): Row {
    const entity = this.entity(type);
    if (entity.projectScoped && !isLink(data['project'])) {
      throw badRequest(`API create() ${entity.type} requires a project.`, { project: 'is missing' }, 'Pass project as {"type":"Project","id":N}.');
    }
    this.checkIdentity(entity, data);
    return this.table.transaction(() => {
      const now = nowDateTime();
      const row = this.table.insert(entity.type, { created_at: now, updated_at: now, created_by: actor.user, updated_by: actor.user });
      const set: FieldSchema[] = [];
      for (const [name, raw] of Object.entries(data)) {
        const field = this.writable(entity, name, 'create');
        const { value, mode } = this.modeOf(field, raw, modes);
        const stored = coerce(this.table, entity.type, field, value, undefined, mode);
        this.table.set(row, name, stored);
        this.linked(row, field, undefined, stored);
        set.push(field);
      }
      for (const field of entity.fields.values()) {
        if (Object.hasOwn(row.fields, field.name)) continue;
        if (field.defaultValue !== undefined) this.table.set(row, field.name, field.defaultValue);
        else if (field.dataType === 'multi_entity') this.table.set(row, field.name, []);
      }
      const nameField = entity.fields.get(entity.nameField);
      if (nameField?.mandatory && row.fields[entity.nameField] == null) this.table.set(row, entity.nameField, `New ${entity.displayName} ${row.id}`);
      if (entity.type === 'TimeLog' && row.fields['date'] == null) this.table.set(row, 'date', now.slice(0, 10));
      this.events.created(row, actor, set);
      return row;
    });
  }

  update(type: string, id: number, data: Record<string, unknown>, actor: Actor, modes: Record<string, string> = {}): Row {
    const entity = this.entity(type);
    this.checkIdentity(entity, data);
    return this.table.transaction(() => {
      const row = this.live(entity.type, id);
      const fields = Object.entries(data).map(([name, raw]) => [this.writable(entity, name, 'update'), raw] as const);
      for (const [field, raw] of fields) {
        if (field.dataType === 'image' && raw === null) {
          this.table.set(row, field.name, null);
          continue;
        }
        const { value, mode } = this.modeOf(field, raw, modes);
        if (field.dataType === 'multi_entity' && value === null) throw badRequest(`${entity.type}.${field.name} is a multi-entity field: clear it with [] rather than null.`, { [field.name]: 'null' });
        const before = row.fields[field.name];
        const after = coerce(this.table, entity.type, field, value, before, mode);
        this.table.set(row, field.name, after);
        this.linked(row, field, before, after);
        this.events.changed(row, actor, field, before, after);
      }
      if (fields.length) {
        this.table.set(row, 'updated_at', nowDateTime());
        this.table.set(row, 'updated_by', actor.user);
      }
      return row;
    });
  }

  /** Sets fields the APIs do not let clients write (uploads, thumbnails), with events. */
  setSystem(row: Row, name: string, value: unknown, actor: Actor): void {
    const field = this.entity(row.type).fields.get(name);
    if (!field) throw badRequest(`${row.type}.${name} doesn't exist.`, { [name]: 'unknown field' });
    const before = row.fields[name];
    this.table.set(row, name, value);
    this.events.changed(row, actor, field, before, value);
  }

  retire(type: string, id: number, actor: Actor): void {
    this.table.transaction(() => {
      const row = this.live(type, id);
      this.table.setRetired(row, true);
      this.events.retired(row, actor);
    });
  }

  /** Whether the record was retired and is now live again; 404 when it never existed. */
  revive(type: string, id: number, actor: Actor): boolean {
    const row = this.table.get(this.entity(type).type, id);
    if (!row) throw notFound(type, id);
    if (!row.retired) return false;
    this.table.transaction(() => {
      this.table.setRetired(row, false);
      this.events.revived(row, actor);
    });
    return true;
  }
}
