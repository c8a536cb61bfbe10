import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walkTree } from '../../../../lib/core/paths/index.ts';
import type { WalkEntry } from '../../../../lib/core/paths/index.ts';

let base: string;
let root: string;

beforeAll(async () => {
  base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'handoff-walk-')));
  root = path.join(base, 'publish');
  await mkdir(path.join(root, 'scd_0010_0010_cleanup_v001', 'sub'), { recursive: true });
  await mkdir(path.join(base, 'elsewhere'));
  await writeFile(path.join(base, 'elsewhere', 'x.exr'), 'x');
  await writeFile(path.join(root, 'scd_0010_0010_cleanup_v001', 'plate.1001.exr'), 'abc');
  await writeFile(path.join(root, 'scd_0010_0010_cleanup_v001', 'sub', 'notes.txt'), 'n');
  await writeFile(path.join(root, 'bad name.'), 'n');
  await writeFile(path.join(root, 'back\\slash'), 'n');
  await symlink(path.join(base, 'elsewhere'), path.join(root, 'out-link'));
  await symlink('scd_0010_0010_cleanup_v001/sub', path.join(root, 'in-link'));
  await symlink('..', path.join(root, 'scd_0010_0010_cleanup_v001', 'sub', 'loop'));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

async function collect(options = {}): Promise<WalkEntry[]> {
  const out: WalkEntry[] = [];
  for await (const entry of walkTree(root, options)) out.push(entry);
  return out;
}

describe('walkTree', () => {
  it('lists files and folders in order, follows inside links and refuses the rest', async () => {
    const entries = await collect();
    const summary = entries.map((e) => `${e.kind}:${e.relative}${e.kind === 'refused' ? `:${e.error.code}:${String(e.error.details.reason)}` : ''}`);
    expect(summary).toEqual([
      'refused:back\\slash:PATH_UNSAFE:invalid-character',
      'refused:bad name.:PATH_UNSAFE:trailing-dot-or-space',
      'directory:in-link',
      'directory:in-link/loop',
      'file:in-link/loop/plate.1001.exr',
      'refused:in-link/loop/sub:PATH_UNSAFE:symlink-loop',
      'file:in-link/notes.txt',
      'refused:out-link:PATH_OUTSIDE_ROOT:symlink-escape',
      'directory:scd_0010_0010_cleanup_v001',
      'file:scd_0010_0010_cleanup_v001/plate.1001.exr',
      'directory:scd_0010_0010_cleanup_v001/sub',
      'refused:scd_0010_0010_cleanup_v001/sub/loop:PATH_UNSAFE:symlink-loop',
      'file:scd_0010_0010_cleanup_v001/sub/notes.txt',
    ]);
    const plate = entries.find((e) => e.relative.endsWith('plate.1001.exr'));
    expect(plate).toMatchObject({ kind: 'file', size: 3 });
  });

  it('stops at maxDepth', async () => {
    const entries = await collect({ maxDepth: 1 });
    expect(entries.every((e) => !e.relative.includes('/'))).toBe(true);
  });
});

describe('walkTree on a changing tree', () => {
  it('reports a folder that vanished before it was read instead of failing the walk', async () => {
    const tree = await realpath(await mkdtemp(path.join(os.tmpdir(), 'handoff-walk-gone-')));
    try {
      await mkdir(path.join(tree, 'a'));
      await mkdir(path.join(tree, 'b'));
      await writeFile(path.join(tree, 'b', 'kept.txt'), 'k');
      const seen: string[] = [];
      for await (const entry of walkTree(tree)) {
        seen.push(`${entry.kind}:${entry.relative}${entry.kind === 'refused' ? `:${entry.error.code}` : ''}`);
        if (entry.kind === 'directory' && entry.relative === 'a') await rm(path.join(tree, 'a'), { recursive: true });
      }
      expect(seen).toEqual(['directory:a', 'refused:a:PATH_UNREADABLE', 'directory:b', 'file:b/kept.txt']);
    } finally {
      await rm(tree, { recursive: true, force: true });
    }
  });
});
