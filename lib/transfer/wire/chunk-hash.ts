/**
 * The integrity hash for chunks and small files: XXH3-128 (hash-wasm), several
 * GB/s on one core, so verification never becomes the bottleneck (TLS already
 * authenticates every record; this catches disk and logic faults end to end).
 */
import { createXXHash128 } from 'hash-wasm';
import type { IHasher } from 'hash-wasm';

let hasher: IHasher | undefined;
let loading: Promise<IHasher> | undefined;

/** Loads the hasher once; afterwards `hashChunk` is synchronous. */
export async function loadChunkHash(): Promise<void> {
  loading ??= createXXHash128();
  hasher = await loading;
}

export function hashChunk(data: Uint8Array): string {
  if (!hasher) throw new Error('loadChunkHash() must resolve before hashing');
  hasher.init();
  hasher.update(data);
  return hasher.digest('hex');
}

/** The file digest of a manifest: the hash of its chunk hashes in order. */
export function hashManifest(chunkHashes: string[]): string {
  return hashChunk(Buffer.from(chunkHashes.join('\n'), 'utf8'));
}
