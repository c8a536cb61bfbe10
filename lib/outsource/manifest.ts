/**
 * The package manifest: every file a task sends, with size, mtime and an
 * XXH3-128 hash (the transfer core's own integrity hash), written next to the
 * description so the vendor can check what arrived.
 *
 * Keeping the click fast: hashing never runs in the launch reply. It runs in
 * the queued work after the files are already queued, and the previous
 * manifest is the cache: a file whose size and mtime are unchanged keeps its
 * hash, so a second click re-reads nothing. The manifest's text only changes
 * when the files do, and it is replaced atomically.
 */
import { open, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createXXHash128, type IHasher } from 'hash-wasm';
import type { ScannedFile } from './scan.ts';

export const MANIFEST_FORMAT = 'handoff.outsource-manifest/1';

export interface ManifestFile extends ScannedFile {
  hash: string;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  hash: 'xxh3-128';
  task: { id: string; path: string };
  vendor: string;
  job: string;
  totals: { files: number; bytes: number };
  files: ManifestFile[];
}

export interface ManifestStats {
  hashed: number;
  cached: number;
  changed: boolean;
}

async function readPrevious(file: string): Promise<Map<string, ManifestFile>> {
  try {
    const previous = JSON.parse(await readFile(file, 'utf8')) as Partial<Manifest>;
    if (previous.format !== MANIFEST_FORMAT || !Array.isArray(previous.files)) return new Map();
    return new Map(previous.files.map((f) => [f.path, f]));
  } catch {
    return new Map();
  }
}

/** Reads through one reused buffer per worker: no allocation per file, however many small frames. */
async function hashFile(hasher: IHasher, file: string, buffer: Buffer): Promise<string> {
  hasher.init();
  const handle = await open(file, 'r');
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hasher.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hasher.digest('hex');
}

/** Hashes `files` (paths relative to `volumeRoot`), reusing hashes of unchanged files from the manifest already at `file`. */
export async function writeManifest(
  file: string,
  volumeRoot: string,
  head: Omit<Manifest, 'format' | 'hash' | 'totals' | 'files'>,
  files: readonly ScannedFile[],
  options: { concurrency?: number; signal?: AbortSignal } = {},
): Promise<ManifestStats> {
  const previous = await readPrevious(file);
  const out: ManifestFile[] = new Array(files.length);
  const stats: ManifestStats = { hashed: 0, cached: 0, changed: false };
  let next = 0;
  const worker = async () => {
    const hasher = await createXXHash128();
    const buffer = Buffer.allocUnsafe(4 << 20);
    for (let i = next++; i < files.length; i = next++) {
      options.signal?.throwIfAborted();
      const f = files[i]!;
      const known = previous.get(f.path);
      if (known && known.size === f.size && known.mtimeMs === f.mtimeMs) {
        out[i] = { ...f, hash: known.hash };
        stats.cached++;
      } else {
        out[i] = { ...f, hash: await hashFile(hasher, path.join(volumeRoot, f.path), buffer) };
        stats.hashed++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, Math.max(files.length, 1)) }, worker));
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    hash: 'xxh3-128',
    ...head,
    totals: { files: out.length, bytes: out.reduce((sum, f) => sum + f.size, 0) },
    files: out,
  };
  const text = `${JSON.stringify(manifest, null, 1)}\n`;
  const current = await readFile(file, 'utf8').catch(() => undefined);
  if (current !== text) {
    await writeAtomically(file, text);
    stats.changed = true;
  }
  return stats;
}

/** Writes through a unique temporary file and a rename, so readers never see half a file. */
export async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, file);
}
