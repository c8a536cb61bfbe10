/** The emulator's entity model: every supported type by name. */
import * as assets from './assets.ts';
import * as context from './context.ts';
import * as custom from './custom-attributes.ts';
import * as people from './people.ts';
import type { AttrDef, TypeDef } from './types.ts';

export type { AttrDef, EntityRecord, ModelContext, ScalarType, TypeDef } from './types.ts';
export { parentChain } from './context.ts';

const definitions: TypeDef[] = [
  context.contextType,
  context.projectType,
  context.typedContextType,
  ...context.typedContextTypes,
  context.objectTypeType,
  context.projectSchemaType,
  context.appointmentType,
  people.userType,
  people.resourceType,
  people.groupType,
  people.membershipType,
  people.stateType,
  people.statusType,
  people.taskTypeType,
  people.priorityType,
  people.noteType,
  people.noteComponentType,
  people.timelogType,
  people.jobType,
  people.jobComponentType,
  assets.assetTypeType,
  assets.assetType,
  assets.assetVersionType,
  assets.componentType,
  assets.fileComponentType,
  assets.sequenceComponentType,
  assets.containerComponentType,
  assets.locationType,
  assets.componentLocationType,
  assets.metadataType,
  custom.customAttributeTypeType,
  custom.customAttributeConfigurationType,
  custom.customAttributeValueType,
  custom.contextCustomAttributeValueType,
  custom.assetVersionCustomAttributeValueType,
];

const byName = new Map(definitions.map((def) => [def.name, def]));

export const typeDefs: readonly TypeDef[] = definitions;

export function getTypeDef(name: string): TypeDef | undefined {
  return byName.get(name);
}

/** Types with their own table (not abstract, not views). */
export function isStored(def: TypeDef): boolean {
  return !def.subtypes && !def.view;
}

/** The stored types a query on `name` spans (itself, or an abstract type's subtypes). */
export function concreteTypesOf(name: string): string[] {
  const def = byName.get(name);
  if (!def) return [];
  return def.subtypes ? def.subtypes.flatMap(concreteTypesOf) : [name];
}

export function isA(concrete: string, base: string): boolean {
  return concrete === base || concreteTypesOf(base).includes(concrete);
}

export function attributeOf(typeName: string, attribute: string): AttrDef | undefined {
  const def = byName.get(typeName);
  return def && Object.hasOwn(def.attributes, attribute) ? def.attributes[attribute] : undefined;
}

/** Target entity type of a relation-like attribute, or undefined for scalars. */
export function relationTarget(attr: AttrDef): string | undefined {
  if (attr.kind === 'ref' || attr.kind === 'collection') return attr.target;
  if (attr.kind === 'computed') return attr.target;
  return undefined;
}

export function isMany(attr: AttrDef): boolean {
  return attr.kind === 'collection' || (attr.kind === 'computed' && attr.many === true);
}
