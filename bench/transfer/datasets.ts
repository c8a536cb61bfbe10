/**
 * Benchmark datasets (incompressible bytes): one big file, an image sequence and
 * a messy tree of small files. Sizes come from the environment; a dataset is
 * reused when a previous run already built it with the same shape.
 */
import { execFileSync } from 'node:child_process';
import { createCipheriv, randomBytes } from 'node:crypto';
import { createWriteStream, rmSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';

export interface DatasetShape {
  name: 'big' | 'seq' | 'small' | 'redeliver' | 'resume';
  files: number;
  fileBytes: number;
  /** Files per folder (the small set spreads over many folders). */
  perFolder: number;
}

export interface Dataset extends DatasetShape {
  /** Folder relative to the data root. */
  folder: string;
  totalBytes: number;
}

/** Incompressible bytes, fast: AES-CTR keystream over zeros. */
function keystream(): (length: number) => Buffer {
  const cipher = createCipheriv('aes-128-ctr', randomBytes(16), randomBytes(16));
  return (length) => cipher.update(Buffer.alloc(length));
}

export async function ensureDataset(root: string, shape: DatasetShape): Promise<Dataset> {
  const folder = `${shape.name}-${shape.files}x${shape.fileBytes}`;
  const dataset = { ...shape, folder, totalBytes: shape.files * shape.fileBytes };
  const marker = path.join(root, `${folder}.complete`);
  if ((await readFile(marker, 'utf8').catch(() => '')) === 'ok') return dataset;
  await rm(path.join(root, folder), { recursive: true, force: true });
  const bytes = keystream();
  for (let i = 0; i < shape.files; i++) {
    const dir = path.join(root, folder, shape.perFolder >= shape.files ? '' : `asset_${String(Math.floor(i / shape.perFolder)).padStart(3, '0')}/work`);
    if (i % shape.perFolder === 0) await mkdir(dir, { recursive: true });
    const name = shape.name === 'seq' || shape.name === 'redeliver' || shape.name === 'resume' ? `shot010_comp_v003.${String(i + 1001).padStart(4, '0')}.exr` : shape.name === 'big' ? 'scene_cache_v012.bin' : `node_${String(i % shape.perFolder).padStart(3, '0')}.json`;
    const file = path.join(dir, name);
    if (shape.fileBytes <= 16 * 1024 * 1024) {
      await writeFile(file, bytes(shape.fileBytes));
      continue;
    }
    const out = createWriteStream(file);
    for (let left = shape.fileBytes; left > 0; left -= 16 * 1024 * 1024) {
      if (!out.write(bytes(Math.min(left, 16 * 1024 * 1024)))) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    out.end();
    await finished(out);
  }
  await writeFile(marker, 'ok');
  return dataset;
}

/**
 * Reads a dataset once so every tool starts from the page cache: this kernel
 * pages out files nobody touched for a while, and the first tool to run would
 * otherwise pay the disk for the others.
 */
export function warmCache(folder: string): void {
  execFileSync('sh', ['-c', 'find "$1" -type f -print0 | xargs -0 cat > /dev/null', 'warm', folder]);
}

/**
 * Writes and deletes a scratch file the size of the dataset where the copy will
 * land, so every tool starts from the same memory. This VM hands freed memory
 * back to its host after a while; without this the first tool of a round writes
 * into memory the host must fault in again (about 1.4 CPU-s/GB more on a RAM
 * disk), while each later tool reuses the pages of the copy deleted before it.
 */
export function primeDestination(folder: string, bytes: number): void {
  const scratch = path.join(folder, '.bench-prime');
  const blocks = Math.max(1, Math.ceil(bytes / (4 * 2 ** 20)));
  execFileSync('dd', ['if=/dev/zero', `of=${scratch}`, 'bs=4M', `count=${blocks}`, 'status=none']);
  rmSync(scratch, { force: true });
}
