/**
 * In-memory tables of entity records, one per stored type, with an id index
 * across all of them and undo-log transactions: a failed batch leaves every
 * table exactly as it was.
 */
import { concreteTypesOf, getTypeDef, type EntityRecord } from '../model/index.ts';

export const keyOf = (record: Record<string, unknown>, primaryKey: readonly string[]): string =>
  primaryKey.map((name) => String(record[name] ?? '')).join('\u0000');

/** Serialisable form: entity type → records. */
export type StoreSnapshot = Record<string, EntityRecord[]>;

export class TableStore {
  private readonly tables = new Map<string, Map<string, EntityRecord>>();
  private readonly ids = new Map<string, EntityRecord>();
  private undo: (() => void)[] | undefined;
  /** Field indexes for `where`, rebuilt lazily after any change. */
  private readonly indexes = new Map<string, { version: number; rows: Map<unknown, EntityRecord[]> }>();
  private version = 0;
  private readonly indexed: boolean;
  /** Bumped on every committed change; used to persist lazily. */
  revision = 0;

  /** `indexed: false` answers `where` by scanning (the benchmark's baseline). */
  constructor(options: { indexed?: boolean } = {}) {
    this.indexed = options.indexed ?? true;
  }
  private table(type: string): Map<string, EntityRecord> {
    let table = this.tables.get(type);
    if (!table) {
      table = new Map();
      this.tables.set(type, table);
    }
    return table;
  }

  private primaryKey(type: string): string[] {
    return getTypeDef(type)?.primaryKey ?? ['id'];
  }

  /** A record of a stored type by its key values. */
  get(type: string, key: readonly unknown[]): EntityRecord | undefined {
    const joined = key.map((part) => String(part ?? '')).join('\u0000');
    for (const concrete of concreteTypesOf(type)) {
      const hit = this.tables.get(concrete)?.get(joined);
      if (hit) return hit;
    }
    return undefined;
  }

  /** Any entity with a single `id` key, whatever its type. */
  byId(id: unknown): EntityRecord | undefined {
    return typeof id === 'string' ? this.ids.get(id) : undefined;
  }

  /** All records of a stored or abstract type. */
  scan(type: string): EntityRecord[] {
    return concreteTypesOf(type).flatMap((concrete) => [...(this.tables.get(concrete)?.values() ?? [])]);
  }

  /** Records of `type` whose `field` equals `value`, through a lazily built index. */
  where(type: string, field: string, value: unknown): EntityRecord[] {
    if (!this.indexed) return this.scan(type).filter((record) => record[field] === value);
    const name = `${type}\u0000${field}`;
    let index = this.indexes.get(name);
    if (!index || index.version !== this.version) {
      const rows = new Map<unknown, EntityRecord[]>();
      for (const record of this.scan(type)) {
        const list = rows.get(record[field]);
        if (list) list.push(record);
        else rows.set(record[field], [record]);
      }
      index = { version: this.version, rows };
      this.indexes.set(name, index);
    }
    return index.rows.get(value) ?? [];
  }

  insert(record: EntityRecord): void {
    this.version += 1;
    const type = record.__entity_type__;
    const primaryKey = this.primaryKey(type);
    const key = keyOf(record, primaryKey);
    this.table(type).set(key, record);
    const indexed = primaryKey.length === 1 && primaryKey[0] === 'id' && typeof record.id === 'string';
    if (indexed) this.ids.set(record.id as string, record);
    this.undo?.push(() => {
      this.tables.get(type)?.delete(key);
      if (indexed) this.ids.delete(record.id as string);
    });
  }

  /** Replaces a record's fields in place (keys never change). */
  patch(record: EntityRecord, changes: Record<string, unknown>): void {
    this.version += 1;
    const before = { ...record };
    Object.assign(record, changes);
    this.undo?.push(() => {
      for (const name of Object.keys(record)) delete record[name];
      Object.assign(record, before);
    });
  }

  remove(record: EntityRecord): void {
    this.version += 1;
    const type = record.__entity_type__;
    const primaryKey = this.primaryKey(type);
    const key = keyOf(record, primaryKey);
    if (!this.tables.get(type)?.delete(key)) return;
    const indexed = this.ids.get(record.id as string) === record;
    if (indexed) this.ids.delete(record.id as string);
    this.undo?.push(() => {
      this.table(type).set(key, record);
      if (indexed) this.ids.set(record.id as string, record);
    });
  }

  /** Starts recording changes so that `rollback` can undo them. */
  begin(): void {
    if (this.undo) throw new Error('A transaction is already open on this store.');
    this.undo = [];
  }

  commit(): void {
    if (this.undo?.length) this.revision += 1;
    this.undo = undefined;
  }

  rollback(): void {
    this.version += 1;
    for (const step of (this.undo ?? []).reverse()) step();
    this.undo = undefined;
  }

  /** Runs `work` atomically: on throw every change it made is undone. */
  transaction<T>(work: () => T): T {
    if (this.undo) return work();
    this.begin();
    try {
      const result = work();
      this.commit();
      return result;
    } catch (err) {
      this.rollback();
      throw err;
    }
  }

  snapshot(): StoreSnapshot {
    return Object.fromEntries([...this.tables].filter(([, t]) => t.size).map(([type, table]) => [type, [...table.values()]]));
  }

  load(snapshot: StoreSnapshot): void {
    this.version += 1;
    this.tables.clear();
    this.ids.clear();
    for (const records of Object.values(snapshot)) for (const record of records) this.insert(record);
    this.revision += 1;
  }
}
