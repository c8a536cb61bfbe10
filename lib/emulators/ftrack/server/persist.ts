/**
 * Optional persistence: the whole store as one JSON file, written atomically
 * (temp file + rename) after changes, one write at a time.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HandoffError } from '../../../core/errors.ts';
import type { StoreSnapshot, TableStore } from '../store/index.ts';

const FORMAT = 'handoff-ftrack-emulator/1';

/** Reads a saved store; undefined when the file does not exist yet. */
export async function readSnapshot(file: string): Promise<StoreSnapshot | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new HandoffError('FTRACK_EMULATOR_PERSIST_FAILED', `Cannot read the emulator store ${file}.`, { cause: err, details: { file } });
  }
  try {
    const parsed = JSON.parse(text) as { format?: unknown; records?: unknown };
    if (parsed.format !== FORMAT || typeof parsed.records !== 'object' || parsed.records === null) throw new Error(`format is not ${FORMAT}`);
    return parsed.records as StoreSnapshot;
  } catch (err) {
    throw new HandoffError('FTRACK_EMULATOR_PERSIST_FAILED', `The emulator store ${file} is not a saved emulator store.`, {
      cause: err,
      details: { file },
      hint: 'Point --persist at a new file or at one the emulator wrote; move the broken file away.',
    });
  }
}

export class SnapshotWriter {
  private readonly file: string;
  private readonly store: TableStore;
  private written = -1;
  private pending: Promise<void> = Promise.resolve();

  constructor(file: string, store: TableStore) {
    this.file = file;
    this.store = store;
  }

  /** Schedules a write if the store changed since the last one. */
  schedule(): Promise<void> {
    this.pending = this.pending.then(async () => {
      const revision = this.store.revision;
      if (revision === this.written) return;
      const body = JSON.stringify({ format: FORMAT, records: this.store.snapshot() });
      await mkdir(path.dirname(this.file), { recursive: true });
      await writeFile(`${this.file}.tmp`, body);
      await rename(`${this.file}.tmp`, this.file);
      this.written = revision;
    });
    return this.pending;
  }

  flush(): Promise<void> {
    return this.schedule();
  }
}
