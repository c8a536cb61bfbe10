/**
 * What HQ last put in place at each vendor, by destination path: the digest of
 * the bytes it sent. A later delivery compares the vendor's files with it, so a
 * file already there is not sent again and one the vendor changed is told apart
 * from one changed at HQ.
 */
import type { DeliveryRecords, FileDigest } from '../transport.ts';
import type { Db } from './db.ts';

export interface DeliveryStore extends DeliveryRecords {
  /** Records files put in place (one transaction). */
  put(entries: readonly { path: string; digest: FileDigest }[]): void;
}

/** Paths looked up per query (SQLite's bound-parameter limit is far above it). */
const PER_QUERY = 500;

export function createDeliveryStore(db: Db, vendor: string): DeliveryStore {
  const upsert = db.prepare(
    `INSERT INTO delivered (vendor, path, size, mtime_ms, hash, chunk) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (vendor, path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, hash = excluded.hash, chunk = excluded.chunk`,
  );
  const putAll = db.transaction((entries: readonly { path: string; digest: FileDigest }[]) => {
    for (const { path, digest } of entries) upsert.run(vendor, path, digest.size, Math.trunc(digest.mtimeMs), digest.hash, digest.chunk);
  });
  return {
    get(paths) {
      const found = new Map<string, FileDigest>();
      for (let at = 0; at < paths.length; at += PER_QUERY) {
        const slice = paths.slice(at, at + PER_QUERY);
        const rows = db
          .prepare(`SELECT path, size, mtime_ms, hash, chunk FROM delivered WHERE vendor = ? AND path IN (${slice.map(() => '?').join(', ')})`)
          .all(vendor, ...slice) as { path: string; size: number; mtime_ms: number; hash: string; chunk: number }[];
        for (const row of rows) found.set(row.path, { size: row.size, mtimeMs: row.mtime_ms, hash: row.hash, chunk: row.chunk });
      }
      return found;
    },
    put(entries) {
      if (entries.length > 0) putAll(entries);
    },
  };
}
