import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { xxhash128 } from 'hash-wasm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Manifest } from '../../../lib/outsource/index.ts';
import { writeManifest } from '../../../lib/outsource/manifest.ts';

describe('writeManifest', () => {
  let dir: string;
  const head = { task: { id: 't1', path: 'scd/0010/0010/cleanup' }, vendor: 'CompersInc', job: 'job' };
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-manifest-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  const file = async (rel: string, content: string, mtime: number) => {
    await writeFile(path.join(dir, rel), content);
    await utimes(path.join(dir, rel), mtime / 1000, mtime / 1000);
    return { path: rel, size: Buffer.byteLength(content), mtimeMs: mtime };
  };

  it('hashes each file with XXH3-128, then reuses hashes of files whose size and mtime did not change', async () => {
    const a = await file('a.exr', 'alpha', 1_700_000_000_000);
    const b = await file('b.exr', 'bravo', 1_700_000_000_000);
    const target = path.join(dir, 'm.json');
    expect(await writeManifest(target, dir, head, [a, b])).toEqual({ hashed: 2, cached: 0, changed: true });
    const manifest = JSON.parse(await readFile(target, 'utf8')) as Manifest;
    expect(manifest.files.map((f) => f.hash)).toEqual([await xxhash128('alpha'), await xxhash128('bravo')]);
    expect(manifest.totals).toEqual({ files: 2, bytes: 10 });

    expect(await writeManifest(target, dir, head, [a, b])).toEqual({ hashed: 0, cached: 2, changed: false });

    const b2 = await file('b.exr', 'BRAVO', 1_700_000_100_000);
    expect(await writeManifest(target, dir, head, [a, b2])).toEqual({ hashed: 1, cached: 1, changed: true });
    expect((JSON.parse(await readFile(target, 'utf8')) as Manifest).files[1]!.hash).toBe(await xxhash128('BRAVO'));
  });

  it('hashes a file larger than the read buffer the same as in one piece', async () => {
    const content = Buffer.alloc(9 * 1024 * 1024 + 7, 7);
    content.write('head', 0);
    await writeFile(path.join(dir, 'big.mov'), content);
    const info = { path: 'big.mov', size: content.length, mtimeMs: 1 };
    const target = path.join(dir, 'big.json');
    await writeManifest(target, dir, head, [info]);
    expect((JSON.parse(await readFile(target, 'utf8')) as Manifest).files[0]!.hash).toBe(await xxhash128(content));
  });
});
