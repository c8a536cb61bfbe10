/**
 * A file's content digest, as both ends record it when a file goes into place:
 * the XXH3-128 of its bytes when it travelled in one piece (a batched small file,
 * or one chunk), else the hash of its chunk hashes in order. The chunk size is
 * part of the digest, so two digests compare only at the same chunk size; either
 * end can compute one from the file on its disk (`digestFile`).
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileDigest } from '../transport.ts';
import { chunkBuffers } from './buffer-pool.ts';
import { hashChunk, hashManifest } from './chunk-hash.ts';

/** `chunk` 0: the file travelled whole (a batch). */
export function digestOf(size: number, mtimeMs: number, chunk: number, chunkHashes: readonly string[]): FileDigest {
  const hash = chunkHashes.length === 1 ? chunkHashes[0]! : hashManifest([...chunkHashes]);
  return { size, mtimeMs: Math.trunc(mtimeMs), hash, chunk: chunkHashes.length === 1 ? 0 : chunk };
}

/** The chunk size a digest of a `size`-byte file is computed at: 0 (whole) when it fits in one chunk. */
export function digestChunk(size: number, chunk: number): number {
  return chunk === 0 || size <= chunk ? 0 : chunk;
}

/** Reads a file and computes its digest at `chunk`; undefined when it is not a regular file of `size` bytes. */
export async function digestFile(absolute: string, size: number, mtimeMs: number, chunk: number): Promise<FileDigest | undefined> {
  const handle = await open(absolute, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => undefined);
  if (!handle) return undefined;
  const step = digestChunk(size, chunk) || Math.max(size, 1);
  const buffer = chunkBuffers.take(Math.min(step, Math.max(size, 1)));
  try {
    if (!(await handle.stat()).isFile()) return undefined;
    const hashes: string[] = [];
    for (let offset = 0; offset < size || hashes.length === 0; offset += step) {
      const length = Math.min(step, size - offset);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await handle.read(buffer, filled, length - filled, offset + filled);
        if (bytesRead === 0) return undefined;
        filled += bytesRead;
      }
      hashes.push(hashChunk(buffer.subarray(0, length)));
    }
    return digestOf(size, mtimeMs, step, hashes);
  } finally {
    chunkBuffers.give(buffer);
    await handle.close();
  }
}

/** Whether two digests (at the same chunk size) name the same bytes. */
export function sameContent(a: FileDigest, b: FileDigest): boolean {
  return a.size === b.size && a.chunk === b.chunk && a.hash === b.hash;
}
