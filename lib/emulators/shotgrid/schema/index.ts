export { Schema, pluralSnake } from './schema.ts';
export { entityWire, fieldWire, fieldsWire } from './wire.ts';
export type { DataType, EntitySchema, FieldSchema } from './types.ts';
