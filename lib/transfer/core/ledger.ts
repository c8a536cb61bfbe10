/**
 * The chunk ledger in SQLite: which chunks of a file are already verified at
 * the destination, so any attempt resumes where the last one stopped. Rows are
 * tagged with their task and dropped when the task is done.
 */
import type { ChunkLedger } from '../transport.ts';
import type { Db } from './db.ts';

/** The ledger plus the recorded hashes, which the local transport re-checks before renaming. */
export interface TaskLedger extends ChunkLedger {
  hashes(fileKey: string): Promise<Map<number, string>>;
}

export function createLedger(db: Db, taskId: string): TaskLedger {
  const select = db.prepare('SELECT idx, hash FROM chunks WHERE file_key = ?');
  const upsert = db.prepare(
    'INSERT INTO chunks (file_key, idx, task_id, hash) VALUES (?, ?, ?, ?) ON CONFLICT (file_key, idx) DO UPDATE SET hash = excluded.hash',
  );
  const remove = db.prepare('DELETE FROM chunks WHERE file_key = ?');
  const rows = (fileKey: string) => select.all(fileKey) as { idx: number; hash: string }[];
  return {
    async done(fileKey) {
      return new Set(rows(fileKey).map((row) => row.idx));
    },
    async hashes(fileKey) {
      return new Map(rows(fileKey).map((row) => [row.idx, row.hash]));
    },
    async mark(fileKey, index, hash) {
      upsert.run(fileKey, index, taskId, hash);
    },
    async clear(fileKey) {
      remove.run(fileKey);
    },
  };
}
