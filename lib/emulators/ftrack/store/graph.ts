/**
 * Reads across the tables by the model: follows references, collections and
 * computed attributes, and expands views. Queries, projections and computed
 * attributes all navigate through this one object.
 */
import { getTypeDef, isA, type EntityRecord, type ModelContext } from '../model/index.ts';
import type { EntityChange } from './changes.ts';
import type { TableStore } from './table-store.ts';

export class EntityGraph implements ModelContext {
  readonly store: TableStore;
  readonly baseUrl: string;
  readonly userId: string | undefined;
  /** Every create, update and delete made through this graph, in order. */
  readonly changes: EntityChange[] = [];
  /** Records created through this graph, checked for required attributes when the batch ends. */
  readonly created: EntityRecord[] = [];

  constructor(store: TableStore, baseUrl: string, userId?: string) {
    this.store = store;
    this.baseUrl = baseUrl;
    this.userId = userId;
  }

  byId(id: unknown): EntityRecord | undefined {
    return this.store.byId(id);
  }

  scan(type: string): EntityRecord[] {
    const view = getTypeDef(type)?.view;
    return view ? view(this) : this.store.scan(type);
  }

  where(type: string, field: string, value: unknown): EntityRecord[] {
    return this.store.where(type, field, value);
  }

  /** A record by type and key values, views included. */
  find(type: string, key: readonly unknown[]): EntityRecord | undefined {
    const def = getTypeDef(type);
    if (!def?.view) return this.store.get(type, key);
    return this.scan(type).find((row) => def.primaryKey.every((name, i) => String(row[name]) === String(key[i])));
  }

  related(record: EntityRecord, attribute: string): unknown[] {
    const attr = getTypeDef(record.__entity_type__)?.attributes[attribute];
    if (!attr) return [];
    switch (attr.kind) {
      case 'scalar':
        return [record[attribute] ?? null];
      case 'ref': {
        const target = this.refTarget(record[attr.via], attr.target);
        return [target ?? null];
      }
      case 'collection':
        return this.store
          .where(attr.target, attr.foreignKey, record.id)
          .filter((row) => Object.entries(attr.where ?? {}).every(([k, v]) => row[k] === v));
      case 'computed': {
        const value = attr.compute(record, this);
        return attr.many && Array.isArray(value) ? value : [value ?? null];
      }
    }
  }

  private refTarget(id: unknown, type: string): EntityRecord | undefined {
    const hit = this.byId(id);
    return hit && isA(hit.__entity_type__, type) ? hit : undefined;
  }
}
