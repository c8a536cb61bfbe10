/**
 * The records of every entity type, in memory. Ids count up per type from 1,
 * deletes only retire a row, and `transaction` undoes every change made inside
 * it when it throws (the REST batch and the JSON-RPC batch are atomic).
 */
export interface Row {
  type: string;
  id: number;
  retired: boolean;
  fields: Record<string, unknown>;
}

export interface TableSnapshot {
  rows: Row[];
  nextIds: Record<string, number>;
}

export class Table {
  private readonly rows = new Map<string, Map<number, Row>>();
  private readonly nextIds = new Map<string, number>();
  private undo: (() => void)[] | undefined;
  /** Counts committed changes (for persistence). */
  revision = 0;

  private typeRows(type: string): Map<number, Row> {
    let rows = this.rows.get(type);
    if (!rows) this.rows.set(type, (rows = new Map()));
    return rows;
  }

  insert(type: string, fields: Record<string, unknown>): Row {
    const id = this.nextIds.get(type) ?? 1;
    const row: Row = { type, id, retired: false, fields: { ...fields } };
    this.nextIds.set(type, id + 1);
    this.typeRows(type).set(id, row);
    this.undo?.push(() => {
      this.typeRows(type).delete(id);
      this.nextIds.set(type, id);
    });
    this.revision++;
    return row;
  }

  get(type: string, id: number): Row | undefined {
    return this.rows.get(type)?.get(id);
  }

  /** Active rows of a type (or retired ones, or both), in id order. */
  scan(type: string, which: 'active' | 'retired' | 'all' = 'active'): Row[] {
    const rows = [...(this.rows.get(type)?.values() ?? [])];
    return which === 'all' ? rows : rows.filter((r) => r.retired === (which === 'retired'));
  }

  set(row: Row, field: string, value: unknown): void {
    const had = Object.hasOwn(row.fields, field);
    const old = row.fields[field];
    row.fields[field] = value;
    this.undo?.push(() => {
      if (had) row.fields[field] = old;
      else delete row.fields[field];
    });
    this.revision++;
  }

  setRetired(row: Row, retired: boolean): void {
    const old = row.retired;
    row.retired = retired;
    this.undo?.push(() => {
      row.retired = old;
    });
    this.revision++;
  }

  /** Runs `change`; if it throws, every change it made is undone and the error rethrown. */
  transaction<T>(change: () => T): T {
    if (this.undo) return change();
    this.undo = [];
    try {
      const result = change();
      this.undo = undefined;
      return result;
    } catch (err) {
      const steps = this.undo ?? [];
      this.undo = undefined;
      for (const step of steps.reverse()) step();
      throw err;
    }
  }

  snapshot(): TableSnapshot {
    return { rows: [...this.rows.values()].flatMap((m) => [...m.values()]), nextIds: Object.fromEntries(this.nextIds) };
  }

  load(snapshot: TableSnapshot): void {
    this.rows.clear();
    for (const row of snapshot.rows) this.typeRows(row.type).set(row.id, row);
    this.nextIds.clear();
    for (const [type, id] of Object.entries(snapshot.nextIds)) this.nextIds.set(type, id);
  }
}
