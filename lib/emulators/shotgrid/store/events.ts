/**
 * EventLogEntry rows for every write, in the shape shotgunEvents and sync
 * services read: `Shotgun_<Type>_New|Change|Retirement|Revival`, the changed
 * `attribute_name`, `meta` with old/new values (added/removed for
 * multi-entity fields, `in_create` for the fields a create set), the entity,
 * the acting user, the project and the session uuid.
 */
import type { FieldSchema } from '../schema/index.ts';
import type { Row, Table } from './table.ts';
import { nowDateTime, type Link } from './values.ts';

export interface Actor {
  user: Link;
  sessionUuid: string | null;
}

export type NamedLink = Link & { name: string | null };

export class EventLog {
  private readonly table: Table;
  private readonly named: (link: Link) => NamedLink;
  enabled = true;

  constructor(table: Table, named: (link: Link) => NamedLink) {
    this.table = table;
    this.named = named;
  }

  private write(row: Row, actor: Actor, event: string, attribute: string | null, meta: Record<string, unknown>, description: string): void {
    if (!this.enabled || row.type === 'EventLogEntry') return;
    const project = row.type === 'Project' ? { type: 'Project', id: row.id } : (row.fields['project'] as Link | null | undefined) ?? null;
    this.table.insert('EventLogEntry', {
      event_type: `Shotgun_${row.type}_${event}`,
      attribute_name: attribute,
      meta: { entity_type: row.type, entity_id: row.id, ...meta },
      entity: { type: row.type, id: row.id },
      project,
      user: actor.user,
      session_uuid: actor.sessionUuid,
      description,
      created_at: nowDateTime(),
      created_by: actor.user,
      updated_at: nowDateTime(),
      updated_by: actor.user,
    });
  }

  private label(row: Row): string {
    return `${row.type} ${this.named({ type: row.type, id: row.id }).name ?? `#${row.id}`}`;
  }

  private wire(field: FieldSchema, value: unknown): unknown {
    if (field.dataType === 'entity' && value) return this.named(value as Link);
    return value ?? null;
  }

  created(row: Row, actor: Actor, fields: FieldSchema[]): void {
    this.write(row, actor, 'New', null, { type: 'new_entity' }, `${this.named(actor.user).name ?? 'Someone'} created new ${this.label(row)}`);
    for (const field of fields) this.changed(row, actor, field, field.dataType === 'multi_entity' ? [] : null, row.fields[field.name], true);
  }

  changed(row: Row, actor: Actor, field: FieldSchema, before: unknown, after: unknown, inCreate = false): void {
    const base = { type: 'attribute_change', attribute_name: field.name, field_data_type: field.dataType, ...(inCreate ? { in_create: true } : {}) };
    const who = this.named(actor.user).name ?? 'Someone';
    if (field.dataType === 'multi_entity') {
      const old = (before as Link[] | null) ?? [];
      const now = (after as Link[] | null) ?? [];
      const has = (list: Link[], l: Link) => list.some((o) => o.type === l.type && o.id === l.id);
      const added = now.filter((l) => !has(old, l)).map(this.named);
      const removed = old.filter((l) => !has(now, l)).map(this.named);
      if (!added.length && !removed.length) return;
      this.write(row, actor, 'Change', field.name, { ...base, added, removed }, `${who} changed '${field.displayName}' on ${this.label(row)}`);
      return;
    }
    if (JSON.stringify(before ?? null) === JSON.stringify(after ?? null)) return;
    this.write(row, actor, 'Change', field.name, { ...base, old_value: this.wire(field, before), new_value: this.wire(field, after) }, `${who} changed '${field.displayName}' on ${this.label(row)}`);
  }

  retired(row: Row, actor: Actor): void {
    this.write(row, actor, 'Retirement', null, { type: 'entity_retirement', class_name: row.type, display_name: this.named({ type: row.type, id: row.id }).name, retirement_date: nowDateTime() }, `${this.named(actor.user).name ?? 'Someone'} retired ${this.label(row)}`);
  }

  revived(row: Row, actor: Actor): void {
    this.write(row, actor, 'Revival', null, { type: 'entity_revival', class_name: row.type, display_name: this.named({ type: row.type, id: row.id }).name }, `${this.named(actor.user).name ?? 'Someone'} revived ${this.label(row)}`);
  }
}
