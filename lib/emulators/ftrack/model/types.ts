/**
 * How the emulator describes an ftrack entity type: its attributes (stored
 * scalars, references, collections and computed values), keys and projections.
 * query_schemas, the store, the query engine and create/update all read the
 * same definitions, so they always agree.
 */

/** A stored entity: plain JSON with its concrete type in `__entity_type__`. */
export type EntityRecord = Record<string, unknown> & { __entity_type__: string };

export type ScalarType = 'string' | 'integer' | 'number' | 'boolean' | 'datetime' | 'variable' | 'json';

/** What computed attributes and defaults may read. */
export interface ModelContext {
  byId(id: unknown): EntityRecord | undefined;
  scan(type: string): EntityRecord[];
  /** Stored records of `type` whose `field` equals `value` (indexed). */
  where(type: string, field: string, value: unknown): EntityRecord[];
  /** Values of `attribute` on `record`: records for relations, scalars otherwise. */
  related(record: EntityRecord, attribute: string): unknown[];
  /** The user the current request authenticated as. */
  userId: string | undefined;
  baseUrl: string;
}

export type AttrDef =
  | { kind: 'scalar'; type: ScalarType; default?: unknown; foreignKey?: string }
  /** A single related entity found by the id held in `via`. */
  | { kind: 'ref'; target: string; via: string }
  /** Entities of `target` whose `foreignKey` equals this id (and match `where`). */
  | {
      kind: 'collection';
      target: string;
      foreignKey: string;
      where?: Record<string, unknown>;
      cascade?: boolean;
      mapped?: boolean;
    }
  | {
      kind: 'computed';
      /** Entity type of the result, for relation-like computed attributes. */
      target?: string;
      many?: boolean;
      /** A key/value collection (custom_attributes). */
      mapped?: boolean;
      type?: ScalarType;
      compute: (record: EntityRecord, ctx: ModelContext) => unknown;
    };

export interface TypeDef {
  name: string;
  /** Concrete types this abstract type spans (TypedContext, Context, Component, Resource). */
  subtypes?: string[];
  /** Rows derived from other tables (custom attribute value views). */
  view?: (ctx: ModelContext) => EntityRecord[];
  primaryKey: string[];
  attributes: Record<string, AttrDef>;
  defaultProjections: string[];
  systemProjections?: string[];
  required?: string[];
  immutable?: string[];
  aliasFor?: unknown;
  /** Views accept writes into this stored type instead. */
  storedAs?: string;
  /** Fills the server-side defaults on create (after attribute defaults). */
  onCreate?: (record: EntityRecord, ctx: ModelContext) => void;
  /** Checks and normalises a record after create and update; throws to refuse. */
  onWrite?: (record: EntityRecord, ctx: ModelContext) => void;
}

export const scalar = (type: ScalarType, extra: { default?: unknown; foreignKey?: string } = {}): AttrDef => ({
  kind: 'scalar',
  type,
  ...extra,
});
export const fk = (target: string): AttrDef => ({ kind: 'scalar', type: 'string', foreignKey: target });
export const ref = (target: string, via: string): AttrDef => ({ kind: 'ref', target, via });
export const many = (target: string, foreignKey: string, extra: { where?: Record<string, unknown>; cascade?: boolean; mapped?: boolean } = {}): AttrDef => ({
  kind: 'collection',
  target,
  foreignKey,
  ...extra,
});

/** Generates a fresh id when the client sends none. */
export const UID_DEFAULT = '{uid}';
