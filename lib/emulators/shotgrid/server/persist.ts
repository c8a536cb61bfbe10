/**
 * Optional persistence: the records and the schema changes (custom fields,
 * status lists) as one JSON file, written atomically after changes, one
 * write at a time.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HandoffError } from '../../../core/errors.ts';
import type { FieldSchema, Schema } from '../schema/index.ts';
import type { Table, TableSnapshot } from '../store/index.ts';

const FORMAT = 'handoff-shotgrid-emulator/1';

export interface SiteSnapshot {
  table: TableSnapshot;
  fields: { type: string; field: FieldSchema }[];
}

/** Fields that differ from the built-in schema: custom ones and widened status lists. */
const changedFields = (schema: Schema): SiteSnapshot['fields'] => [
  ...schema.customFields(),
  ...schema.entityTypes().flatMap((type) => {
    const field = schema.field(type, 'sg_status_list');
    return field?.displayValues ? [{ type, field }] : [];
  }),
];

export async function readSnapshot(file: string): Promise<SiteSnapshot | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new HandoffError('SHOTGRID_EMULATOR_PERSIST_FAILED', `Cannot read the emulator store ${file}.`, { cause: err, details: { file } });
  }
  try {
    const parsed = JSON.parse(text) as { format?: unknown } & Partial<SiteSnapshot>;
    if (parsed.format !== FORMAT || !parsed.table || !Array.isArray(parsed.fields)) throw new Error(`format is not ${FORMAT}`);
    return { table: parsed.table, fields: parsed.fields };
  } catch (err) {
    throw new HandoffError('SHOTGRID_EMULATOR_PERSIST_FAILED', `The emulator store ${file} is not a saved ShotGrid emulator store.`, {
      cause: err,
      details: { file },
      hint: 'Point --persist at a new file or at one the emulator wrote; move the broken file away.',
    });
  }
}

export function restoreSnapshot(snapshot: SiteSnapshot, table: Table, schema: Schema): void {
  for (const { type, field } of snapshot.fields) schema.restoreField(type, field);
  table.load(snapshot.table);
}

export class SnapshotWriter {
  private readonly file: string;
  private readonly table: Table;
  private readonly schema: Schema;
  private written = -1;
  private pending: Promise<void> = Promise.resolve();

  constructor(file: string, table: Table, schema: Schema) {
    this.file = file;
    this.table = table;
    this.schema = schema;
  }

  /** Writes the site if it changed since the last write. */
  schedule(): Promise<void> {
    this.pending = this.pending.then(async () => {
      const revision = this.table.revision;
      if (revision === this.written) return;
      const body = JSON.stringify({ format: FORMAT, table: this.table.snapshot(), fields: changedFields(this.schema) });
      await mkdir(path.dirname(this.file), { recursive: true });
      await writeFile(`${this.file}.tmp`, body);
      await rename(`${this.file}.tmp`, this.file);
      this.written = revision;
    });
    return this.pending;
  }
}
