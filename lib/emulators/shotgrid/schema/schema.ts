/**
 * The schema of one emulator instance: the entity table expanded with the
 * fields every type has, status lists widened by the studio's own statuses,
 * and custom fields added at runtime. Resolves the spellings the REST API
 * accepts for a type (`Shot`, `shots`, `published_file`) and names the
 * plural snake form its links use.
 */
import { ENTITY_TABLE } from './entities.ts';
import type { DataType, EntitySchema, FieldSchema, FieldSpec } from './types.ts';

const SYSTEM_FIELDS: Record<string, FieldSpec> = {
  id: { type: 'number', readOnly: true, displayName: 'Id' },
  created_at: { type: 'date_time', readOnly: true, displayName: 'Date Created' },
  updated_at: { type: 'date_time', readOnly: true, displayName: 'Date Updated' },
  created_by: { type: 'entity', validTypes: ['HumanUser', 'ApiUser'], readOnly: true, displayName: 'Created by' },
  updated_by: { type: 'entity', validTypes: ['HumanUser', 'ApiUser'], readOnly: true, displayName: 'Updated by' },
};

const titleOf = (name: string): string =>
  name
    .replace(/^sg_/, '')
    .split('_')
    .map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : w))
    .join(' ');

function fieldOf(name: string, spec: FieldSpec): FieldSchema {
  const full = typeof spec === 'string' ? { type: spec } : Array.isArray(spec) ? { type: spec[0], validTypes: spec[1] } : spec;
  const readOnly = 'readOnly' in full && full.readOnly === true;
  const field: FieldSchema = {
    name,
    dataType: full.type,
    displayName: ('displayName' in full && full.displayName) || titleOf(name),
    editable: !readOnly,
    mandatory: 'mandatory' in full && full.mandatory === true,
  };
  if ('validTypes' in full && full.validTypes) field.validTypes = full.validTypes;
  if ('validValues' in full && full.validValues) field.validValues = [...full.validValues];
  if ('defaultValue' in full && full.defaultValue !== undefined) field.defaultValue = full.defaultValue;
  return field;
}

/** `PublishedFile` → `published_files`, `EventLogEntry` → `event_log_entries`. */
export function pluralSnake(type: string): string {
  const snake = type.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  if (snake.endsWith('y') && !/[aeiou]y$/.test(snake)) return `${snake.slice(0, -1)}ies`;
  if (snake.endsWith('s')) return `${snake}es`;
  return `${snake}s`;
}

export class Schema {
  private readonly types = new Map<string, EntitySchema>();
  private readonly slugs = new Map<string, string>();

  constructor() {
    for (const [type, row] of Object.entries(ENTITY_TABLE)) {
      const fields = new Map<string, FieldSchema>();
      for (const [name, spec] of Object.entries(SYSTEM_FIELDS)) fields.set(name, fieldOf(name, spec));
      if (row.projectScoped) fields.set('project', fieldOf('project', { type: 'entity', validTypes: ['Project'], displayName: 'Project' }));
      for (const [name, spec] of Object.entries(row.fields)) fields.set(name, fieldOf(name, spec));
      this.types.set(type, { type, displayName: row.displayName, nameField: row.nameField, projectScoped: row.projectScoped, fields });
      const snake = type.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
      for (const slug of [type, snake, pluralSnake(type)]) this.slugs.set(slug.toLowerCase(), type);
    }
  }

  entityTypes(): string[] {
    return [...this.types.keys()];
  }

  entity(type: string): EntitySchema | undefined {
    return this.types.get(type);
  }

  field(type: string, name: string): FieldSchema | undefined {
    return this.types.get(type)?.fields.get(name);
  }

  /** The type a URL segment names (`Shot`, `shots`, `published_file`), or undefined. */
  typeOfSlug(slug: string): string | undefined {
    if (this.types.has(slug)) return slug;
    return this.slugs.get(slug.toLowerCase());
  }

  /** Adds the studio's status codes to every work status list. */
  addStatuses(codes: string[], labels: Record<string, string>): void {
    for (const type of ['Shot', 'Asset', 'Task', 'Version']) {
      const field = this.field(type, 'sg_status_list');
      if (!field?.validValues) continue;
      for (const code of codes) if (!field.validValues.includes(code)) field.validValues.push(code);
      field.displayValues = { ...field.displayValues, ...labels };
    }
  }

  /** Adds a custom field (`sg_` + snake of the display name) and returns its name. */
  addField(type: string, dataType: DataType, displayName: string, properties: Partial<Pick<FieldSchema, 'validTypes' | 'validValues' | 'defaultValue'>> = {}): string {
    const entity = this.types.get(type);
    if (!entity) throw new Error(`Entity type ${type} does not exist.`);
    const base = `sg_${displayName.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '')}`;
    let name = base;
    for (let n = 1; entity.fields.has(name); n++) name = `${base}_${n}`;
    entity.fields.set(name, { ...fieldOf(name, { type: dataType, ...properties }), displayName, custom: true });
    return name;
  }

  /** Custom fields added at runtime, for persistence. */
  customFields(): { type: string; field: FieldSchema }[] {
    return [...this.types.values()].flatMap((e) => [...e.fields.values()].filter((f) => f.custom).map((field) => ({ type: e.type, field })));
  }

  restoreField(type: string, field: FieldSchema): void {
    this.types.get(type)?.fields.set(field.name, field);
  }
}
