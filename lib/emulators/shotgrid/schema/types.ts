/**
 * The shape of the emulator's schema: entity types with their fields, each
 * field with a ShotGrid data type and the properties the schema endpoints
 * report (valid types, valid values, default).
 */
export type DataType =
  | 'text'
  | 'number'
  | 'float'
  | 'percent'
  | 'duration'
  | 'checkbox'
  | 'date'
  | 'date_time'
  | 'entity'
  | 'multi_entity'
  | 'status_list'
  | 'list'
  | 'url'
  | 'image'
  | 'serializable'
  | 'entity_type'
  | 'color'
  | 'uuid'
  | 'tag_list';

export interface FieldSchema {
  name: string;
  dataType: DataType;
  /** Display name the schema endpoints report. */
  displayName: string;
  editable: boolean;
  mandatory: boolean;
  validTypes?: string[];
  validValues?: string[];
  displayValues?: Record<string, string>;
  defaultValue?: unknown;
  /** Added at runtime (schema_field_create / POST /schema/{type}/fields). */
  custom?: boolean;
}

export interface EntitySchema {
  type: string;
  displayName: string;
  /** The field that holds the record's name (`code`, `content`, `name` …); `name` in links comes from it. */
  nameField: string;
  /** Whether a create must name a project. */
  projectScoped: boolean;
  fields: Map<string, FieldSchema>;
}

/** Compact field spec used by the entity table: `code: 'text'` or `sg_sequence: ['entity', ['Sequence']]`. */
export type FieldSpec =
  | DataType
  | [DataType, string[]]
  | { type: DataType; validTypes?: string[]; validValues?: string[]; defaultValue?: unknown; readOnly?: boolean; mandatory?: boolean; displayName?: string };
