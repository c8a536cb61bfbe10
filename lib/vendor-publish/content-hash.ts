/**
 * Content hashes of a vendor's files: XXH3-128 of each file's bytes, the hash
 * the transfer wire verifies files with (a file that travels in one piece has
 * exactly this wire digest). The vendor sends one per file with its tree; HQ
 * hashes each landed file and compares.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { createXXHash128 } from 'hash-wasm';
import type { TreeEntry } from './types.ts';

const READ_SIZE = 4 * 1024 * 1024;

/** Whether a value sent from outside is a content hash (32 lowercase hex digits). */
export const isContentHash = (value: unknown): value is string => typeof value === 'string' && /^[0-9a-f]{32}$/.test(value);

/** The short form shown to people. */
export const shortHash = (hash: string): string => hash.slice(0, 12);

/** XXH3-128 (hex) of a regular file's bytes; symlinks are not followed. */
export async function hashFile(absolute: string): Promise<string> {
  const hasher = await createXXHash128();
  hasher.init();
  const handle = await open(absolute, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const buffer = Buffer.allocUnsafe(READ_SIZE);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, READ_SIZE, null);
      if (bytesRead === 0) break;
      hasher.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hasher.digest('hex');
}

/** Adds each file's content hash to a tree built from `folders` (same order), vendor side. */
export async function attachContentHashes(entries: TreeEntry[], folders: readonly string[]): Promise<TreeEntry[]> {
  const visit = async (children: TreeEntry[] | undefined, dir: string): Promise<void> => {
    for (const child of children ?? []) {
      if (child.refused) continue;
      const absolute = path.join(dir, child.filename);
      if (child.is_dir) await visit(child.files, absolute);
      else child.hash = await hashFile(absolute);
    }
  };
  for (const [i, entry] of entries.entries()) {
    const folder = folders[i];
    if (entry.is_dir && !entry.refused && folder) await visit(entry.files, folder);
  }
  return entries;
}

/** Files whose landed content differs from the hash the vendor sent, for people. */
export function hashDifferences(validated: readonly { path: string; hash?: string | undefined }[], landed: ReadonlyMap<string, string>): string[] {
  return validated.flatMap((file) => {
    const found = landed.get(file.path);
    if (!file.hash || !found || found === file.hash) return [];
    return [`${file.path} (content ${shortHash(found)}, validated as ${shortHash(file.hash)})`];
  });
}
