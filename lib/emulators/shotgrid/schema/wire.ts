/**
 * The schema as both APIs report it: every property wrapped as
 * `{value, editable}`, field properties under `properties`.
 */
import type { EntitySchema, FieldSchema } from './types.ts';

const leaf = (value: unknown, editable = false) => ({ value, editable });

export function fieldWire(entity: EntitySchema, field: FieldSchema): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    default_value: leaf(field.defaultValue ?? null, field.editable),
    summary_default: leaf('none', true),
  };
  if (field.validTypes) properties['valid_types'] = leaf(field.validTypes, true);
  if (field.validValues) properties['valid_values'] = leaf(field.validValues, true);
  if (field.displayValues) properties['display_values'] = leaf(field.displayValues, false);
  if (field.dataType === 'status_list' || field.dataType === 'list') properties['hidden_values'] = leaf([], false);
  return {
    name: leaf(field.displayName, true),
    data_type: leaf(field.dataType),
    entity_type: leaf(entity.type),
    editable: leaf(field.editable),
    mandatory: leaf(field.mandatory),
    unique: leaf(false),
    visible: leaf(true),
    description: leaf('', true),
    properties,
  };
}

export function fieldsWire(entity: EntitySchema): Record<string, unknown> {
  return Object.fromEntries([...entity.fields.values()].map((f) => [f.name, fieldWire(entity, f)]));
}

export function entityWire(entity: EntitySchema): Record<string, unknown> {
  return { name: leaf(entity.displayName), visible: leaf(true) };
}
